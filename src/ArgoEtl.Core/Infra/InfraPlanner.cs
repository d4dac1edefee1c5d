using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Core.Infra;

/// <summary>
/// The objects of a local Argo ETL platform, by component: Argo Events and a JetStream EventBus, the Sensors' service
/// account and RBAC, Argo Workflows and its UI token Secret, and an S3-compatible object store with a generated root
/// password (kept across runs) and the default artifact repository. Upstream manifests come from pinned release URLs or
/// a local folder.
/// </summary>
public sealed class InfraPlanner(KubeClient client, InfraOptions options)
{
    public const string ArgoEvents = "ArgoEvents";
    public const string EventBus = "EventBus";
    public const string SensorRbac = "SensorRbac";
    public const string ArgoWorkflows = "ArgoWorkflows";
    public const string UiToken = "UiToken";
    public const string ObjectStore = "ObjectStore";
    public const string UiTokenSecret = "argo-server-token";

    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
    };

    public async Task<IReadOnlyList<KubeObject>> PlanAsync(CancellationToken cancellationToken)
    {
        string events = options.EventsNamespace;
        string workflows = options.WorkflowsNamespace;
        var objects = new List<KubeObject>
        {
            new(Namespace(events), ArgoEvents),
            new(Namespace(workflows), ArgoWorkflows),
        };

        objects.AddRange((await LoadAsync("events", options.ArgoEventsUrl, cancellationToken).ConfigureAwait(false)).Select(o => new KubeObject(Place(o, events), ArgoEvents)));
        objects.Add(new KubeObject(Obj("argoproj.io/v1alpha1", "EventBus", "default", events, new JsonObject
        {
            ["spec"] = new JsonObject { ["jetstream"] = new JsonObject { ["version"] = options.JetStreamVersion, ["replicas"] = 3 } },
        }), EventBus));

        // What Sensors run as to create Workflows, and what the Workflows' pods (default SA) need to report results.
        objects.Add(new(Obj("v1", "ServiceAccount", "operate-workflow-sa", events), SensorRbac));
        objects.Add(new(Obj("rbac.authorization.k8s.io/v1", "Role", "operate-workflow-role", events, new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray("argoproj.io"),
                ["resources"] = new JsonArray("workflows", "workflowtemplates", "cronworkflows", "clusterworkflowtemplates"),
                ["verbs"] = new JsonArray("create", "get", "list", "watch", "update", "patch", "delete"),
            }),
        }), SensorRbac));
        objects.Add(new(Binding("operate-workflow-role-binding", events, "operate-workflow-role", "operate-workflow-sa"), SensorRbac));
        objects.Add(new(Obj("rbac.authorization.k8s.io/v1", "Role", "argoetl-executor", events, new JsonObject
        {
            ["rules"] = new JsonArray(new JsonObject
            {
                ["apiGroups"] = new JsonArray("argoproj.io"),
                ["resources"] = new JsonArray("workflowtaskresults"),
                ["verbs"] = new JsonArray("create", "patch"),
            }),
        }), SensorRbac));
        objects.Add(new(Binding("argoetl-executor", events, "argoetl-executor", "default"), SensorRbac));

        objects.AddRange((await LoadWorkflowsAsync(cancellationToken).ConfigureAwait(false)).Select(o => new KubeObject(Place(o, workflows), ArgoWorkflows)));
        objects.Add(new(Obj("v1", "Secret", UiTokenSecret, workflows, new JsonObject
        {
            ["type"] = "kubernetes.io/service-account-token",
        }, annotations: new JsonObject { ["kubernetes.io/service-account.name"] = "argo-server" }), UiToken));

        objects.AddRange((await ObjectStoreAsync(events, cancellationToken).ConfigureAwait(false)).Select(o => new KubeObject(o, ObjectStore)));
        return objects;
    }

    /// <summary>A stable name for this set of versions: the run label, so that an identical second install changes nothing.</summary>
    public string RunId() =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{options.ArgoEventsVersion}|{options.ArgoWorkflowsVersion}|{options.JetStreamVersion}|{options.ObjectStoreImage}")))[..12];

    private async Task<IEnumerable<JsonObject>> ObjectStoreAsync(string ns, CancellationToken cancellationToken)
    {
        // The root password is generated once and kept: a second install must not lock the store's own data out.
        string password;
        var existing = await client.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{ns}/secrets/{InfraSecrets.ObjectStoreSecret}", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (existing.IsSuccess && existing.Body?["data"]?["root-password"]?.GetValue<string>() is { } stored)
        {
            password = Encoding.UTF8.GetString(Convert.FromBase64String(stored));
        }
        else
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', 'x').Replace('/', 'y');
        }

        var labels = new JsonObject { ["app.kubernetes.io/name"] = "minio" };
        JsonObject SecretKey(string key) => new() { ["secretKeyRef"] = new JsonObject { ["name"] = InfraSecrets.ObjectStoreSecret, ["key"] = key } };
        return
        [
            Obj("v1", "Secret", InfraSecrets.ObjectStoreSecret, ns, new JsonObject
            {
                ["type"] = "Opaque",
                ["data"] = new JsonObject
                {
                    ["root-user"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ObjectStoreUser)),
                    ["root-password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
                },
            }),
            Obj("apps/v1", "Deployment", "minio", ns, new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["replicas"] = 1,
                    ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                        ["spec"] = new JsonObject
                        {
                            ["containers"] = new JsonArray(new JsonObject
                            {
                                ["name"] = "minio",
                                ["image"] = options.ObjectStoreImage,
                                ["args"] = new JsonArray("server", "/data", "--console-address", ":9001"),
                                ["env"] = new JsonArray(
                                    new JsonObject { ["name"] = "MINIO_ROOT_USER", ["valueFrom"] = SecretKey("root-user") },
                                    new JsonObject { ["name"] = "MINIO_ROOT_PASSWORD", ["valueFrom"] = SecretKey("root-password") }),
                                ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 9000, ["name"] = "api" }, new JsonObject { ["containerPort"] = 9001, ["name"] = "console" }),
                                ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/minio/health/ready", ["port"] = 9000 } },
                                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/data" }),
                            }),
                            ["volumes"] = new JsonArray(new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() }),
                        },
                    },
                },
            }),
            Obj("v1", "Service", "minio", ns, new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["selector"] = labels.DeepClone(),
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "api", ["port"] = 9000 }, new JsonObject { ["name"] = "console", ["port"] = 9001 }),
                },
            }),
            Obj("v1", "ConfigMap", "artifact-repositories", ns, new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["default-v1"] = $"s3:\n  bucket: {options.ArtifactBucket}\n  endpoint: minio:9000\n  insecure: true\n"
                        + $"  accessKeySecret:\n    name: {InfraSecrets.ObjectStoreSecret}\n    key: root-user\n"
                        + $"  secretKeySecret:\n    name: {InfraSecrets.ObjectStoreSecret}\n    key: root-password\n",
                },
            }, annotations: new JsonObject { ["workflows.argoproj.io/default-artifact-repository"] = "default-v1" }),
        ];
    }

    private async Task<IEnumerable<JsonObject>> LoadWorkflowsAsync(CancellationToken cancellationToken)
    {
        if (options.ManifestSource is { } dir && !File.Exists(Path.Combine(dir, "workflows", "install.yaml")))
        {
            // A source checkout's layout: the CRDs beside the install without them.
            var files = Directory.GetFiles(Path.Combine(dir, "workflows"), "argoproj.io_*.yaml").Order(StringComparer.Ordinal)
                .Append(Path.Combine(dir, "workflows", "install-no-crds.yaml"));
            return files.SelectMany(f => Documents(YamlFile.Load(f)));
        }

        return await LoadAsync("workflows", options.ArgoWorkflowsUrl, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IEnumerable<JsonObject>> LoadAsync(string folder, Uri url, CancellationToken cancellationToken)
    {
        if (options.ManifestSource is { } dir)
        {
            string file = Path.Combine(dir, folder, "install.yaml");
            if (!File.Exists(file))
            {
                throw new EtlException(EtlErrors.ManifestSourceIncomplete, $"-ManifestSource {dir} has no {folder}/install.yaml.",
                    $"Put the release's install.yaml at {file} (download {url}).", file);
            }

            return Documents(YamlFile.Load(file));
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            string text = await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
            return Documents(YamlFile.Parse(text, UrlRedaction.Redact(url)));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new EtlException(EtlErrors.ManifestDownloadFailed, $"Downloading {UrlRedaction.Redact(url)} failed: {UrlRedaction.Redact(ex.Message)}",
                "Check the network, or download the release manifests and pass the folder with -ManifestSource (events/install.yaml, workflows/install.yaml).", UrlRedaction.Redact(url), ex);
        }
    }

    private static IEnumerable<JsonObject> Documents(IEnumerable<YamlDocumentAt> docs) =>
        docs.Select(d => YamlFile.ToJson(d.Root)).OfType<JsonObject>().Where(o => o["kind"] is not null);

    private static JsonObject Place(JsonObject obj, string ns)
    {
        if (!ClusterScoped.Contains(obj["kind"]!.GetValue<string>()) && obj["metadata"]?["namespace"] is null)
        {
            obj["metadata"]!["namespace"] = ns;
        }

        return obj;
    }

    private static JsonObject Namespace(string name) => Obj("v1", "Namespace", name, null);

    private static JsonObject Binding(string name, string ns, string role, string serviceAccount) => Obj("rbac.authorization.k8s.io/v1", "RoleBinding", name, ns, new JsonObject
    {
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = role },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = serviceAccount, ["namespace"] = ns }),
    });

    private static JsonObject Obj(string apiVersion, string kind, string name, string? ns, JsonObject? rest = null, JsonObject? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        foreach (var (key, value) in rest ?? [])
        {
            obj[key] = value?.DeepClone();
        }

        return obj;
    }
}
