using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>An API server answer: the HTTP status and the body (an object, a list, or a Status).</summary>
public sealed record KubeResult(int Status, JsonNode Body);

/// <summary>
/// The test API server's state and its rules: names, resourceVersions and 409s, generateName, namespaces that must
/// exist, server-side apply with field ownership, CRDs that add kinds (Established after a delay), validation of
/// argoproj.io objects against the upstream schemas, and stand-ins for the controllers our waits depend on
/// (Deployment/StatefulSet status, service-account token Secrets).
/// </summary>
public sealed partial class KubeStore
{
    private readonly object _gate = new();
    private readonly List<KubeResourceType> _types = [.. KubeResourceType.BuiltIn];
    private readonly Dictionary<string, SortedDictionary<string, Stored>> _objects = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, string? Method)> _faults = new();
    private long _resourceVersion = 1000;

    public KubeStore()
    {
        foreach (string ns in new[] { "default", "kube-system", "kube-public" })
        {
            Seed(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }
    }

    private readonly ConcurrentDictionary<(string Namespace, string PodPrefix, int Port), string> _portTargets = new();

    /// <summary>
    /// Where a port-forward to <paramref name="port"/> of a pod whose name starts with <paramref name="podPrefix"/> goes:
    /// a real TCP endpoint (e.g. s3rver standing in for the object store's pod).
    /// </summary>
    public void ForwardPort(string ns, string podPrefix, int port, string hostAndPort) => _portTargets[(ns, podPrefix, port)] = hostAndPort;

    internal string? PortTarget(string ns, string pod, int port) =>
        _portTargets.Where(t => t.Key.Namespace == ns && t.Key.Port == port && pod.StartsWith(t.Key.PodPrefix, StringComparison.Ordinal)).Select(t => t.Value).FirstOrDefault();

    /// <summary>How long a new CRD takes to report Established (real servers take a moment; the engine must wait).</summary>
    public TimeSpan CrdEstablishDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How long the stand-in load balancer controller takes to give an Ingress of class alb an address
    /// (status.loadBalancer.ingress[0].hostname); an Ingress annotated argoetl.test/no-address: "true" never gets one.
    /// </summary>
    public TimeSpan IngressAddressDelay { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Validates objects of argoproj.io kinds; returns the problems, or null when valid.</summary>
    public Func<string, JsonObject, IReadOnlyList<string>?>? Validator { get; set; }

    /// <summary>Every request that reached a resource, in order: method, resource, namespace, name, and the status sent.</summary>
    public ConcurrentQueue<string> Log { get; } = new();

    private sealed class Stored(JsonObject obj)
    {
        public JsonObject Object { get; set; } = obj;

        public Dictionary<string, (string Operation, HashSet<string> Fields)> Managers { get; } = new(StringComparer.Ordinal);
    }

    public IReadOnlyList<KubeResourceType> Types
    {
        get
        {
            lock (_gate)
            {
                return [.. _types];
            }
        }
    }

    /// <summary>The next <paramref name="times"/> resource requests (of <paramref name="method"/>, if given) fail with this status.</summary>
    public void FailNext(int status, int times = 1, string? method = null)
    {
        for (int i = 0; i < times; i++)
        {
            _faults.Enqueue((status, method));
        }
    }

    internal bool TryFault(string method, out int status)
    {
        status = 0;
        if (_faults.TryPeek(out var next) && (next.Method is null || next.Method == method) && _faults.TryDequeue(out next))
        {
            status = next.Status;
            return true;
        }

        return false;
    }

    public KubeResourceType? Find(string group, string version, string plural)
    {
        lock (_gate)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    /// <summary>An object that existed before the test (created by someone else, manager "before").</summary>
    public void Seed(JsonObject obj)
    {
        string apiVersion = obj["apiVersion"]!.GetValue<string>();
        string group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        string version = apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var type = _types.First(t => t.Group == group && t.Version == version && t.Kind == obj["kind"]!.GetValue<string>());
        var result = Create(type, obj["metadata"]?["namespace"]?.GetValue<string>(), obj, "before");
        if (result.Status >= 300)
        {
            throw new InvalidOperationException(result.Body.ToJsonString());
        }
    }

    public KubeResult Get(KubeResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            return Bucket(type).TryGetValue(Key(type, ns, name), out var stored) ? new KubeResult(200, Render(stored)) : NotFound(type, name);
        }
    }

    public KubeResult List(KubeResourceType type, string? ns, string? labelSelector, string? fieldSelector)
    {
        lock (_gate)
        {
            var items = Bucket(type).Values.Select(s => s.Object)
                .Where(o => ns is null || !type.Namespaced || o["metadata"]?["namespace"]?.GetValue<string>() == ns)
                .Where(o => Selectors.MatchesLabels(o, labelSelector) && Selectors.MatchesFields(o, fieldSelector))
                .Select(o => Render(Bucket(type)[Key(type, o["metadata"]?["namespace"]?.GetValue<string>(), o["metadata"]!["name"]!.GetValue<string>())]))
                .ToArray();
            return new KubeResult(200, new JsonObject
            {
                ["apiVersion"] = type.GroupVersion,
                ["kind"] = type.Kind + "List",
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = new JsonArray(items),
            });
        }
    }

    public KubeResult Create(KubeResourceType type, string? ns, JsonObject body, string manager)
    {
        lock (_gate)
        {
            var obj = (JsonObject)body.DeepClone();
            if (Check(type, ns, obj, out string name) is { } invalid)
            {
                return invalid;
            }

            if (name.Length == 0)
            {
                string prefix = obj["metadata"]?["generateName"]?.GetValue<string>() ?? string.Empty;
                if (prefix.Length == 0)
                {
                    return Status(422, "Invalid", $"{type.Kind} is invalid: metadata.name: Required value: name or generateName is required");
                }

                name = prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5];
                obj["metadata"]!["name"] = name;
            }

            if (Bucket(type).ContainsKey(Key(type, ns, name)))
            {
                return Status(409, "AlreadyExists", $"{type.Plural}{Group(type)} \"{name}\" already exists", type, name);
            }

            var stored = new Stored(obj);
            stored.Managers[manager] = ("Update", [.. FieldSet.Leaves(obj).Keys]);
            Stamp(obj, previous: null);
            Bucket(type)[Key(type, ns, name)] = stored;
            AfterWrite(type, stored);
            Notify(type, "ADDED", stored);
            return new KubeResult(201, Render(stored));
        }
    }

    public KubeResult Replace(KubeResourceType type, string? ns, string name, JsonObject body, string manager)
    {
        lock (_gate)
        {
            if (!Bucket(type).TryGetValue(Key(type, ns, name), out var stored))
            {
                return NotFound(type, name);
            }

            var obj = (JsonObject)body.DeepClone();
            if (Check(type, ns, obj, out _) is { } invalid)
            {
                return invalid;
            }

            string? given = obj["metadata"]?["resourceVersion"]?.GetValue<string>();
            string current = stored.Object["metadata"]!["resourceVersion"]!.GetValue<string>();
            if (given is not null && given != current)
            {
                return Status(409, "Conflict", $"Operation cannot be fulfilled on {type.Plural}{Group(type)} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", type, name);
            }

            obj["status"] = stored.Object["status"]?.DeepClone();
            stored.Managers[manager] = ("Update", [.. FieldSet.Leaves(obj).Keys]);
            Commit(type, stored, obj);
            return new KubeResult(200, Render(stored));
        }
    }

    /// <summary>Server-side apply: creates or merges, the manager owning exactly the fields it sent; a field another manager owns with a different value is a 409 unless forced.</summary>
    public KubeResult Apply(KubeResourceType type, string? ns, string name, JsonObject applied, string manager, bool force)
    {
        lock (_gate)
        {
            var config = (JsonObject)applied.DeepClone();
            if (Check(type, ns, config, out string bodyName) is { } invalid)
            {
                return invalid;
            }

            if (bodyName != name)
            {
                return Status(400, "BadRequest", $"the name of the object ({bodyName}) does not match the name on the URL ({name})");
            }

            var leaves = FieldSet.Leaves(config);
            if (!Bucket(type).TryGetValue(Key(type, ns, name), out var stored))
            {
                var created = new Stored(config);
                created.Managers[manager] = ("Apply", [.. leaves.Keys]);
                Stamp(config, previous: null);
                Bucket(type)[Key(type, ns, name)] = created;
                AfterWrite(type, created);
                Notify(type, "ADDED", created);
                return new KubeResult(201, Render(created));
            }

            var conflicts = leaves
                .Where(l => !Equal(FieldSet.Get(stored.Object, l.Key), l.Value))
                .SelectMany(l => stored.Managers.Where(m => m.Key != manager && m.Value.Fields.Contains(l.Key)).Select(m => (Field: l.Key, Manager: m.Key)))
                .ToList();
            if (conflicts.Count > 0 && !force)
            {
                string list = string.Join("\n", conflicts.Select(c => $"- conflict with \"{c.Manager}\": {FieldSet.Display(c.Field)}"));
                return Status(409, "Conflict", $"Apply failed with {conflicts.Count} conflict(s):\n{list}", type, name);
            }

            var merged = (JsonObject)stored.Object.DeepClone();
            var previous = stored.Managers.TryGetValue(manager, out var owned) ? owned.Fields : [];
            foreach (string gone in previous.Where(p => !leaves.ContainsKey(p)))
            {
                if (!stored.Managers.Any(m => m.Key != manager && m.Value.Fields.Contains(gone)))
                {
                    FieldSet.Remove(merged, gone);
                }
            }

            foreach (var (path, value) in leaves)
            {
                FieldSet.Set(merged, path, value);
            }

            if (force)
            {
                foreach (var other in stored.Managers.Where(m => m.Key != manager))
                {
                    other.Value.Fields.ExceptWith(conflicts.Select(c => c.Field));
                }
            }

            stored.Managers[manager] = ("Apply", [.. leaves.Keys]);
            Commit(type, stored, merged);
            return new KubeResult(200, Render(stored));
        }
    }

    public KubeResult Delete(KubeResourceType type, string? ns, string name)
    {
        lock (_gate)
        {
            if (!Bucket(type).TryGetValue(Key(type, ns, name), out var stored))
            {
                return NotFound(type, name);
            }

            RemoveStored(type, stored);
            return new KubeResult(200, Render(stored));
        }
    }

    // Removes an object and what goes with it, as the namespace controller, the garbage collector (ownerReferences,
    // and the test's owner annotation on workload pods) and a ReplicaSet (a deleted pod of a live workload is
    // replaced by a new one with a new name) would.
    private void RemoveStored(KubeResourceType type, Stored stored)
    {
        var metadata = stored.Object["metadata"]!;
        string name = metadata["name"]!.GetValue<string>();
        string? ns = metadata["namespace"]?.GetValue<string>();
        if (!Bucket(type).Remove(Key(type, ns, name)))
        {
            return;
        }

        Notify(type, "DELETED", stored);
        if (type.Kind == "Pod")
        {
            EndLogs(ns!, name);
        }

        if (type.Kind == "Namespace")
        {
            foreach (var t in _types.Where(t => t.Namespaced).ToList())
            {
                foreach (var inside in Bucket(t).Values.Where(o => o.Object["metadata"]?["namespace"]?.GetValue<string>() == name).ToList())
                {
                    RemoveStored(t, inside);
                }
            }
        }
        else if (type.Kind == "CustomResourceDefinition")
        {
            foreach (var t in TypesOf(stored.Object))
            {
                _types.RemoveAll(k => SameResource(k, t));
                _objects.Remove(t.Group + "/" + t.Plural);
            }
        }

        string? uid = metadata["uid"]?.GetValue<string>();
        string owner = $"{type.Kind}/{name}";
        foreach (var t in _types.Where(t => t.Namespaced).ToList())
        {
            foreach (var dependent in Bucket(t).Values.Where(o => o.Object["metadata"]?["namespace"]?.GetValue<string>() == ns && OwnedBy(o.Object, uid, owner)).ToList())
            {
                RemoveStored(t, dependent);
            }
        }

        if (type.Kind == "Pod" && metadata["annotations"]?["argoetl.test/owner"]?.GetValue<string>() is { } workloadRef)
        {
            string[] parts = workloadRef.Split('/');
            var workloadType = _types.First(t => t.Kind == parts[0]);
            if (Bucket(workloadType).TryGetValue(Key(workloadType, ns, parts[1]), out var workload))
            {
                EnsurePod(workload.Object);
            }
        }
    }

    private static bool OwnedBy(JsonObject obj, string? uid, string owner) =>
        obj["metadata"]?["annotations"]?["argoetl.test/owner"]?.GetValue<string>() == owner
        || (uid is not null && (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => r?["uid"]?.GetValue<string>() == uid));

    // ---- rules ----

    private KubeResult? Check(KubeResourceType type, string? ns, JsonObject obj, out string name)
    {
        name = obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        if (obj["kind"]?.GetValue<string>() != type.Kind || obj["apiVersion"]?.GetValue<string>() != type.GroupVersion)
        {
            return Status(400, "BadRequest", $"the API version in the data ({obj["apiVersion"]}) and kind ({obj["kind"]}) do not match the resource {type.Plural}.{type.GroupVersion}");
        }

        if (type.Namespaced)
        {
            string? given = obj["metadata"]?["namespace"]?.GetValue<string>();
            if (given is not null && given != ns)
            {
                return Status(400, "BadRequest", $"the namespace of the provided object ({given}) does not match the namespace sent on the request ({ns})");
            }

            obj["metadata"] ??= new JsonObject();
            obj["metadata"]!["namespace"] = ns;
            var namespaces = _types.First(t => t.Kind == "Namespace");
            if (!Bucket(namespaces).ContainsKey(Key(namespaces, null, ns ?? string.Empty)))
            {
                return Status(404, "NotFound", $"namespaces \"{ns}\" not found", namespaces, ns);
            }
        }

        if (type.Group == "argoproj.io" && Validator?.Invoke(type.Kind, obj) is { Count: > 0 } problems)
        {
            return Status(422, "Invalid", $"{type.Kind}.argoproj.io \"{name}\" is invalid: {string.Join("; ", problems)}", type, name);
        }

        return null;
    }

    private void Commit(KubeResourceType type, Stored stored, JsonObject updated)
    {
        if (JsonNode.DeepEquals(Strip(stored.Object), Strip(updated)))
        {
            return; // a no-op write keeps its resourceVersion, as the real server does
        }

        Stamp(updated, stored.Object);
        stored.Object = updated;
        AfterWrite(type, stored);
        Notify(type, "MODIFIED", stored);
    }

    private static JsonObject Strip(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("resourceVersion");
            metadata.Remove("managedFields");
            metadata.Remove("generation");
        }

        return copy;
    }

    private void Stamp(JsonObject obj, JsonObject? previous)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        metadata["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
        metadata["uid"] = previous?["metadata"]?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = previous?["metadata"]?["creationTimestamp"]?.DeepClone() ?? DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        long generation = previous?["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        bool specChanged = previous is null || !JsonNode.DeepEquals(previous["spec"], obj["spec"]);
        metadata["generation"] = specChanged ? generation + 1 : generation;
    }

    // Stand-ins for controllers: what waits and token reads need to see.
    private void AfterWrite(KubeResourceType type, Stored stored)
    {
        var obj = stored.Object;
        switch (type.Kind)
        {
            case "CustomResourceDefinition":
                foreach (var t in TypesOf(obj).Where(t => !_types.Any(k => SameResource(k, t))))
                {
                    _types.Add(t);
                }

                obj["status"] ??= new JsonObject { ["conditions"] = new JsonArray() };
                _ = EstablishLaterAsync(type, obj["metadata"]!["name"]!.GetValue<string>());
                break;
            case "Ingress":
                bool alb = obj["spec"]?["ingressClassName"]?.GetValue<string>() == "alb";
                bool addressed = obj["status"]?["loadBalancer"]?["ingress"] is not null;
                bool never = obj["metadata"]?["annotations"]?["argoetl.test/no-address"]?.GetValue<string>() == "true";
                if (alb && !addressed && !never)
                {
                    _ = AddressLaterAsync(type, obj["metadata"]!["namespace"]!.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());
                }

                break;
            case "Deployment" or "StatefulSet":
                long replicas = obj["spec"]?["replicas"]?.GetValue<long>() ?? 1;
                bool stuck = obj["metadata"]?["annotations"]?["argoetl.test/stuck"]?.GetValue<string>() == "true";
                long generation = obj["metadata"]!["generation"]!.GetValue<long>();
                obj["status"] = stuck
                    ? new JsonObject { ["observedGeneration"] = generation, ["replicas"] = replicas, ["unavailableReplicas"] = replicas }
                    : new JsonObject { ["observedGeneration"] = generation, ["replicas"] = replicas, ["updatedReplicas"] = replicas, ["readyReplicas"] = replicas, ["availableReplicas"] = replicas };
                if (stuck)
                {
                    RecordEvent(obj, "FailedScheduling", "0/1 nodes are available: 1 Insufficient memory.");
                }
                else
                {
                    EnsurePod(obj);
                }

                break;
            case "Workflow" when type.Group == "argoproj.io":
                StartWorkflow(stored);
                break;
            case "EventSource" or "Sensor" when type.Group == "argoproj.io":
                DeployArgoEvents(stored);
                break;
            case "Secret" when obj["type"]?.GetValue<string>() == "kubernetes.io/service-account-token" && (obj["data"]?["token"]) is null:
                var data = (obj["data"] as JsonObject) ?? new JsonObject();
                data["token"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("eyJ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))));
                data["namespace"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(obj["metadata"]!["namespace"]!.GetValue<string>()));
                obj["data"] = data;
                break;
        }
    }

    // One running pod per workload, labelled from its template (what port-forwards and selectors find); it goes when the workload goes.
    private void EnsurePod(JsonObject workload)
    {
        var pods = _types.First(t => t.Kind == "Pod");
        string ns = workload["metadata"]!["namespace"]!.GetValue<string>();
        string owner = $"{workload["kind"]}/{workload["metadata"]!["name"]}";
        if (Bucket(pods).Values.Any(p => p.Object["metadata"]?["annotations"]?["argoetl.test/owner"]?.GetValue<string>() == owner && p.Object["metadata"]?["namespace"]?.GetValue<string>() == ns))
        {
            return;
        }

        string name = $"{workload["metadata"]!["name"]}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5]}";
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = workload["spec"]?["template"]?["metadata"]?["labels"]?.DeepClone(),
                ["annotations"] = new JsonObject { ["argoetl.test/owner"] = owner },
            },
            ["spec"] = workload["spec"]?["template"]?["spec"]?.DeepClone(),
            ["status"] = new JsonObject { ["phase"] = "Running" },
        };
        Stamp(pod, null);
        var stored = new Stored(pod);
        Bucket(pods)[Key(pods, ns, name)] = stored;
        Notify(pods, "ADDED", stored);
    }

    // The AWS Load Balancer Controller's part: an ALB's DNS name once it is provisioned.
    private async Task AddressLaterAsync(KubeResourceType ingressType, string ns, string name)
    {
        await Task.Delay(IngressAddressDelay).ConfigureAwait(false);
        lock (_gate)
        {
            if (Bucket(ingressType).TryGetValue(Key(ingressType, ns, name), out var stored))
            {
                string host = $"k8s-{ns}-{name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}-1234567890.us-east-1.elb.amazonaws.com";
                stored.Object["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["hostname"] = host }) } };
                stored.Object["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private async Task EstablishLaterAsync(KubeResourceType crdType, string name)
    {
        await Task.Delay(CrdEstablishDelay).ConfigureAwait(false);
        lock (_gate)
        {
            if (Bucket(crdType).TryGetValue(Key(crdType, null, name), out var stored))
            {
                stored.Object["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(
                        new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts" },
                        new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted" }),
                    ["acceptedNames"] = stored.Object["spec"]?["names"]?.DeepClone(),
                };
                stored.Object["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString(CultureInfo.InvariantCulture);
                Notify(crdType, "MODIFIED", stored);
            }
        }
    }

    private void RecordEvent(JsonObject involved, string reason, string message)
    {
        var events = _types.First(t => t.Kind == "Event");
        string ns = involved["metadata"]!["namespace"]!.GetValue<string>();
        string name = $"{involved["metadata"]!["name"]}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var ev = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["involvedObject"] = new JsonObject { ["kind"] = involved["kind"]!.GetValue<string>(), ["name"] = involved["metadata"]!["name"]!.GetValue<string>(), ["namespace"] = ns },
            ["reason"] = reason,
            ["message"] = message,
            ["type"] = "Warning",
        };
        Stamp(ev, null);
        var stored = new Stored(ev);
        Bucket(events)[Key(events, ns, name)] = stored;
        Notify(events, "ADDED", stored);
    }

    private static IEnumerable<KubeResourceType> TypesOf(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var names = spec["names"]!;
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>().Where(v => v["served"]?.GetValue<bool>() ?? true))
        {
            yield return new KubeResourceType(spec["group"]!.GetValue<string>(), version["name"]!.GetValue<string>(), names["kind"]!.GetValue<string>(),
                names["plural"]!.GetValue<string>(), names["singular"]?.GetValue<string>() ?? names["kind"]!.GetValue<string>().ToLowerInvariant(),
                spec["scope"]?.GetValue<string>() != "Cluster", [.. (names["shortNames"] as JsonArray ?? []).Select(n => n!.GetValue<string>())]);
        }
    }

    private static JsonObject Render(Stored stored)
    {
        var obj = (JsonObject)stored.Object.DeepClone();
        obj["metadata"]!["managedFields"] = new JsonArray([.. stored.Managers.Select(m => (JsonNode)new JsonObject
        {
            ["manager"] = m.Key,
            ["operation"] = m.Value.Operation,
            ["apiVersion"] = obj["apiVersion"]!.GetValue<string>(),
            ["fieldsType"] = "FieldsV1",
        })]);
        return obj;
    }

    private SortedDictionary<string, Stored> Bucket(KubeResourceType type)
    {
        string key = type.Group + "/" + type.Plural;
        if (!_objects.TryGetValue(key, out var bucket))
        {
            bucket = new SortedDictionary<string, Stored>(StringComparer.Ordinal);
            _objects[key] = bucket;
        }

        return bucket;
    }

    private static bool SameResource(KubeResourceType a, KubeResourceType b) => a.Group == b.Group && a.Version == b.Version && a.Plural == b.Plural;

    private static string Key(KubeResourceType type, string? ns, string name) => type.Namespaced ? $"{ns}/{name}" : name;

    private static bool Equal(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    private static string Group(KubeResourceType type) => type.Group.Length == 0 ? string.Empty : "." + type.Group;

    private static KubeResult NotFound(KubeResourceType type, string name) =>
        Status(404, "NotFound", $"{type.Plural}{Group(type)} \"{name}\" not found", type, name);

    public static KubeResult Status(int code, string reason, string message, KubeResourceType? type = null, string? name = null) => new(code, new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = type is null ? null : new JsonObject { ["name"] = name, ["group"] = type.Group, ["kind"] = type.Plural },
        ["code"] = code,
    });
}
