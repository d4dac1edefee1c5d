using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Infra;

namespace ArgoEtl.Core.Targets.Local;

/// <summary>
/// The Secrets, ConfigMaps and Services a local run sees: the project's own manifests, plus what the platform
/// (Install-EtlInfra) would have provided in a cluster — the object store's root credentials (Secret 'minio') and the
/// default artifact repository (ConfigMap 'artifact-repositories') — pointing at the local store. Lookups are by name
/// in any namespace: one machine runs one project, and the manifests rarely agree on namespaces with the platform.
/// </summary>
public sealed partial class LocalResources
{
    private readonly Dictionary<string, Dictionary<string, string>> _secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _configMaps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _addresses = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The artifact repository's bucket in the local store (as Install-EtlInfra names it).</summary>
    public string ArtifactBucket { get; init; } = new InfraOptions().ArtifactBucket;

    /// <summary>Adds the project's Secrets and ConfigMaps (data base64, stringData plain).</summary>
    public void AddManifests(IEnumerable<ManifestDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var doc in documents)
        {
            switch (doc.Kind)
            {
                case "Secret":
                    var secret = Entry(_secrets, doc.Name);
                    foreach (var (key, value) in doc.Object["data"] as JsonObject ?? [])
                    {
                        secret[key] = Encoding.UTF8.GetString(Convert.FromBase64String((string?)value ?? string.Empty));
                    }

                    foreach (var (key, value) in doc.Object["stringData"] as JsonObject ?? [])
                    {
                        secret[key] = (string?)value ?? string.Empty;
                    }

                    break;
                case "ConfigMap":
                    var map = Entry(_configMaps, doc.Name);
                    foreach (var (key, value) in doc.Object["data"] as JsonObject ?? [])
                    {
                        map[key] = value?.ToString() ?? string.Empty;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Secrets the manifests reference but do not define (in a cluster a hook or an operator creates them, e.g.
    /// examples/ftp's 'ftp'), given locally as files: <c>&lt;folder&gt;/&lt;secret&gt;/&lt;key&gt;</c>, the shape of a
    /// mounted Secret. A key the manifests define wins. Values are never printed.
    /// </summary>
    public void AddSecretFolders(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (string secretFolder in Directory.EnumerateDirectories(folder))
        {
            var secret = Entry(_secrets, Path.GetFileName(secretFolder));
            foreach (string file in Directory.EnumerateFiles(secretFolder))
            {
                secret.TryAdd(Path.GetFileName(file), File.ReadAllText(file));
            }
        }
    }

    /// <summary>
    /// What Install-EtlInfra provides, on the local store: the 'minio' Secret with its credentials, and the
    /// artifact-repositories ConfigMap naming the local artifact bucket; in-cluster addresses of the store map to it.
    /// </summary>
    public void AddObjectStore(Uri endpoint, string accessKey, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var secret = Entry(_secrets, InfraSecrets.ObjectStoreSecret);
        secret.TryAdd("root-user", accessKey);
        secret.TryAdd("root-password", secretKey);
        Entry(_configMaps, "artifact-repositories").TryAdd("default-v1",
            $"s3:\n  bucket: {ArtifactBucket}\n  endpoint: minio:9000\n  insecure: true\n"
            + $"  accessKeySecret:\n    name: {InfraSecrets.ObjectStoreSecret}\n    key: root-user\n"
            + $"  secretKeySecret:\n    name: {InfraSecrets.ObjectStoreSecret}\n    key: root-password\n");
        MapService("minio", 9000, endpoint);
    }

    /// <summary>Maps a Service's in-cluster names (name, name.ns, name.ns.svc, name.ns.svc.cluster.local; any namespace) and port to a local endpoint.</summary>
    public void MapService(string name, int port, Uri local)
    {
        ArgumentNullException.ThrowIfNull(local);
        _addresses[$"{name}:{port}"] = local.Authority;
    }

    /// <summary>A Secret's key, or an error naming the Secret and the key, and who was expected to provide it.</summary>
    public string Secret(string name, string key, string usedBy) => Lookup(_secrets, "Secret", name, key, usedBy);

    public string ConfigMap(string name, string key, string usedBy) => Lookup(_configMaps, "ConfigMap", name, key, usedBy);

    public bool TrySecret(string name, string key, out string value) => TryLookup(_secrets, name, key, out value);

    public bool TryConfigMap(string name, string key, out string value) => TryLookup(_configMaps, name, key, out value);

    /// <summary>All keys of a Secret or ConfigMap (envFrom), or null when nobody provides it.</summary>
    public IReadOnlyDictionary<string, string>? SecretData(string name) => _secrets.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string>? ConfigMapData(string name) => _configMaps.GetValueOrDefault(name);

    /// <summary>
    /// Replaces in-cluster addresses of what the local target provides (minio:9000, minio.argo.svc:9000,
    /// minio.argo.svc.cluster.local:9000) with the local endpoints, in a step's env value or argument.
    /// </summary>
    public string RewriteAddresses(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_addresses.Count == 0 || !text.Contains(':', StringComparison.Ordinal))
        {
            return text;
        }

        return ServiceAddress().Replace(text, m =>
        {
            string key = $"{m.Groups["name"].Value}:{m.Groups["port"].Value}";
            return _addresses.TryGetValue(key, out string? local) ? local : m.Value;
        });
    }

    private static Dictionary<string, string> Entry(Dictionary<string, Dictionary<string, string>> all, string name)
    {
        if (!all.TryGetValue(name, out var entry))
        {
            entry = new Dictionary<string, string>(StringComparer.Ordinal);
            all[name] = entry;
        }

        return entry;
    }

    private static bool TryLookup(Dictionary<string, Dictionary<string, string>> all, string name, string key, out string value)
    {
        value = string.Empty;
        return all.TryGetValue(name, out var entry) && entry.TryGetValue(key, out value!);
    }

    private static string Lookup(Dictionary<string, Dictionary<string, string>> all, string kind, string name, string key, string usedBy)
    {
        if (TryLookup(all, name, key, out string value))
        {
            return value;
        }

        string has = all.TryGetValue(name, out var entry) ? $"it has {string.Join(", ", entry.Keys.Order(StringComparer.Ordinal))}" : "no manifest of the project creates it and the local platform does not provide it";
        throw new EtlException(EtlErrors.LocalReferenceUnresolved, $"{usedBy} refers to key '{key}' of {kind} '{name}', but {has}.",
            $"Add the {kind} to the project's manifests (or the key to it); the local target provides only Secret '{InfraSecrets.ObjectStoreSecret}' (root-user, root-password) and ConfigMap 'artifact-repositories'.", $"{kind}/{name}");
    }

    // host[.ns[.svc[.cluster.local]]]:port, not inside a longer host name.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![A-Za-z0-9.-])(?<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9-]+(\.svc(\.cluster\.local)?)?)?:(?<port>[0-9]{1,5})\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ServiceAddress();
}
