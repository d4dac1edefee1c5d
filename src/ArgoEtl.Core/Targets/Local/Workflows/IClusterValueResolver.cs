namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// Secrets and ConfigMaps as the local target knows them (the manifests' own, plus what the platform provides), for
/// secretKeyRef/configMapKeyRef and envFrom. Null means "nobody provides it": the runner turns that into an error
/// naming the Secret or ConfigMap and key.
/// </summary>
public interface IClusterValueResolver
{
    /// <summary>The value of <paramref name="key"/> in Secret <paramref name="name"/>, decoded; null when either is missing.</summary>
    string? Secret(string name, string key);

    /// <summary>The value of <paramref name="key"/> in ConfigMap <paramref name="name"/>; null when either is missing.</summary>
    string? ConfigMap(string name, string key);

    /// <summary>Every key of Secret <paramref name="name"/>, decoded (envFrom.secretRef); null when it is missing.</summary>
    IReadOnlyDictionary<string, string>? SecretData(string name);

    /// <summary>Every key of ConfigMap <paramref name="name"/> (envFrom.configMapRef); null when it is missing.</summary>
    IReadOnlyDictionary<string, string>? ConfigMapData(string name);
}
