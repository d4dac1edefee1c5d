namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>Secrets and ConfigMaps held as plain dictionaries (name → key → value), for the local target's generated objects and for tests.</summary>
public sealed class InMemoryClusterValues : IClusterValueResolver
{
    public Dictionary<string, Dictionary<string, string>> Secrets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Dictionary<string, string>> ConfigMaps { get; } = new(StringComparer.Ordinal);

    public string? Secret(string name, string key) => Secrets.TryGetValue(name, out var data) && data.TryGetValue(key, out var value) ? value : null;

    public string? ConfigMap(string name, string key) => ConfigMaps.TryGetValue(name, out var data) && data.TryGetValue(key, out var value) ? value : null;

    public IReadOnlyDictionary<string, string>? SecretData(string name) => Secrets.TryGetValue(name, out var data) ? data : null;

    public IReadOnlyDictionary<string, string>? ConfigMapData(string name) => ConfigMaps.TryGetValue(name, out var data) ? data : null;
}
