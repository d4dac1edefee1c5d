using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>
/// The in-cluster S3-compatible object store (Local): a Deployment with a generated root password kept in the Secret
/// 'minio' across runs, its Service, the default artifact repository, and after apply the artifact bucket, created
/// through the store's S3 API (at -ObjectStoreEndpoint or over a port-forward to its service).
/// </summary>
public sealed class ObjectStoreComponent : InfraComponent
{
    public override string Name => InfraPlanner.ObjectStore;

    public override IReadOnlyDictionary<string, IReadOnlyList<string>> ProvidedSecrets { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [InfraSecrets.ObjectStoreSecret] = ["root-user", "root-password"],
    };

    public override async Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return [.. (await ObjectsOfAsync(context.Client, context.Options, cancellationToken).ConfigureAwait(false)).Select(o => new KubeObject(o, Name))];
    }

    public override Task<IReadOnlyList<InfraStep>> PlanPostApplyAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        string where = options.ObjectStoreEndpoint is { } endpoint ? UrlRedaction.Redact(endpoint) : $"service minio:9000 in {options.EventsNamespace} (port-forward)";
        return Task.FromResult<IReadOnlyList<InfraStep>>([new InfraStep(Name, "S3Bucket", options.ArtifactBucket, $"Create bucket s3://{options.ArtifactBucket} at {where}", async ct =>
        {
            if (options.ObjectStoreEndpoint is { } given)
            {
                return await CreateBucketAsync(context.Client, options, given, context.Timeout, ct).ConfigureAwait(false);
            }

            // The store's S3 API through a port-forward to its service (no exec into the pod).
            await using var forward = PortForward.Start(context.Client, options.EventsNamespace, "service", "minio", 9000);
            return await CreateBucketAsync(context.Client, options, new Uri($"http://{forward.Local}"), context.Timeout, ct).ConfigureAwait(false);
        })]);
    }

    private static async Task<IEnumerable<JsonObject>> ObjectsOfAsync(KubeClient client, InfraOptions options, CancellationToken cancellationToken)
    {
        string ns = options.EventsNamespace;
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
            KubeObjects.Obj("v1", "Secret", InfraSecrets.ObjectStoreSecret, ns, new JsonObject
            {
                ["type"] = "Opaque",
                ["data"] = new JsonObject
                {
                    ["root-user"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ObjectStoreUser)),
                    ["root-password"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(password)),
                },
            }),
            KubeObjects.Obj("apps/v1", "Deployment", "minio", ns, new JsonObject
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
            KubeObjects.Obj("v1", "Service", "minio", ns, new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["selector"] = labels.DeepClone(),
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "api", ["port"] = 9000 }, new JsonObject { ["name"] = "console", ["port"] = 9001 }),
                },
            }),
            KubeObjects.Obj("v1", "ConfigMap", "artifact-repositories", ns, new JsonObject
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

    // Through the S3 API with the store's own root credentials, read from the Secret (never printed). A store that is
    // still starting refuses connections for a while: retried until the timeout.
    private static async Task<string> CreateBucketAsync(KubeClient client, InfraOptions options, Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var secret = await client.RequireAsync(HttpMethod.Get, $"/api/v1/namespaces/{options.EventsNamespace}/secrets/{InfraSecrets.ObjectStoreSecret}", null, "application/json",
            "Reading the object store's credentials", cancellationToken).ConfigureAwait(false);
        string Field(string key) => Encoding.UTF8.GetString(Convert.FromBase64String(secret?["data"]?[key]?.GetValue<string>() ?? string.Empty));
        using var s3 = S3ClientFactory.Create(new AwsConnection { EndpointUrl = endpoint, Region = AwsConnection.EndpointDefaultRegion, Credentials = new BasicAWSCredentials(Field("root-user"), Field("root-password")) });
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await s3.PutBucketAsync(options.ArtifactBucket, cancellationToken).ConfigureAwait(false);
                return "created";
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                return "unchanged";
            }
            catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException && DateTime.UtcNow < deadline && ex is not AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden })
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                throw new EtlException("ArtifactBucketFailed", EtlErrorKind.Connection, $"Creating bucket '{options.ArtifactBucket}' at {UrlRedaction.Redact(endpoint)} failed: {UrlRedaction.Redact(ex.ErrorCode ?? ex.Message)}",
                    "Check that the object store is running (kubectl get pods -n argo-events), or pass -ObjectStoreEndpoint with an address of its S3 API.", UrlRedaction.Redact(endpoint), ex);
            }
        }
    }
}
