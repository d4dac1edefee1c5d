namespace ArgoEtl.Core.Infra;

/// <summary>
/// Secrets the infrastructure install provides to every project, so that a project may reference them without
/// creating them: the object store's root credentials (named as the typical setup named them).
/// </summary>
public static class InfraSecrets
{
    public const string ObjectStoreSecret = "minio";

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Provided { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [ObjectStoreSecret] = ["root-user", "root-password"],
    };
}
