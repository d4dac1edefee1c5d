namespace ArgoEtl.Core.Dev;

/// <summary>
/// What a batch of file changes asks of the dev loop, as Skaffold's runner sorts them: rebuild these artifacts,
/// redeploy (manifests or the deployer's own files changed), reload the config (skaffold.yaml changed). A rebuild or
/// a reload implies a redeploy.
/// </summary>
public sealed record ChangeSet
{
    /// <summary>The files that changed (full paths), for messages.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Image names of the artifacts whose inputs changed.</summary>
    public IReadOnlySet<string> Rebuild { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The manifests (or what the deployer depends on) changed: render and deploy again, without a build.</summary>
    public bool Redeploy { get; init; }

    /// <summary>The Skaffold config changed: load the profile again before anything else.</summary>
    public bool ReloadConfig { get; init; }

    /// <summary>Nothing the loop watches for changed (e.g. a README edit).</summary>
    public bool IsEmpty => Rebuild.Count == 0 && !Redeploy && !ReloadConfig;

    public override string ToString() =>
        IsEmpty ? "nothing to do"
        : string.Join("; ", new[]
        {
            ReloadConfig ? "reload the config" : null,
            Rebuild.Count > 0 ? "rebuild " + string.Join(", ", Rebuild.Order(StringComparer.Ordinal)) : null,
            Redeploy ? "redeploy" : null,
        }.Where(s => s is not null));
}
