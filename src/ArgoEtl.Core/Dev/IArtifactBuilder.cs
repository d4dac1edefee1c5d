using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>The dev loop's build phase: one artifact into an image, and which files that build reads.</summary>
public interface IArtifactBuilder
{
    /// <summary>Files or folders (full paths, patterns allowed) whose change means <paramref name="artifact"/> must be built again.</summary>
    IReadOnlyList<string> Dependencies(EtlProfile profile, EtlArtifact artifact);

    /// <summary>Builds (or finds already built) the artifact; a failure is an EtlException naming the artifact.</summary>
    Task<EtlImage> BuildAsync(EtlProfile profile, EtlArtifact artifact, IProgress<DevEvent> progress, CancellationToken cancellationToken);
}
