namespace ArgoEtl.Core.Images;

/// <summary>
/// One built (or found) image: what replaces the artifact's name in manifests. Pipes into Export-EtlManifest and
/// Start-EtlDev (FullyQualifiedName is repository:tag@digest).
/// </summary>
public sealed class EtlImage
{
    /// <summary>The build artifact's image name (what manifests say).</summary>
    public required string Artifact { get; init; }

    public required string Repository { get; init; }

    public required string Tag { get; init; }

    public string? Digest { get; init; }

    public string FullyQualifiedName => Digest is null ? $"{Repository}:{Tag}" : $"{Repository}:{Tag}@{Digest}";

    public required string Builder { get; init; }

    /// <summary>The registry already had this tag, so nothing was built.</summary>
    public bool Cached { get; init; }

    public bool Pushed { get; init; }

    /// <summary>Loaded into a local cluster (minikube) instead of pushed: there is no registry digest, manifests use the tag.</summary>
    public bool Loaded { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>
    /// An image built elsewhere (Publish-EtlImage's output, a CI build), by its reference repository[:tag][@digest]:
    /// what a dev loop uses instead of building the artifact, as 'skaffold deploy --images' or '--build-artifacts' do.
    /// </summary>
    public static EtlImage Given(string artifact, string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifact);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        string? digest = null;
        int at = reference.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = reference[(at + 1)..];
            reference = reference[..at];
        }

        // A colon after the last slash is the tag's; one before it belongs to a registry's port.
        int colon = reference.LastIndexOf(':');
        bool tagged = colon > reference.LastIndexOf('/');
        return new EtlImage
        {
            Artifact = artifact,
            Repository = tagged ? reference[..colon] : reference,
            Tag = tagged ? reference[(colon + 1)..] : "latest",
            Digest = digest,
            Builder = "Given",
            Cached = true,
        };
    }

    /// <summary>artifact=reference, the form Export-EtlManifest -Image takes.</summary>
    public override string ToString() => $"{Artifact}={FullyQualifiedName}";
}
