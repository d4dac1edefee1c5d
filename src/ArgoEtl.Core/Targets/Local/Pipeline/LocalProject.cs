using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Local.Build;

namespace ArgoEtl.Core.Targets.Local.Pipeline;

/// <summary>
/// A profile made ready for the local target, as the dev loop's build and render phases make it: every artifact
/// built (.NET projects published for host steps, Dockerfiles built with buildah), then the manifests rendered with
/// those images. Invoke-EtlPipeline runs one event through the result; Start-EtlDev keeps it running.
/// </summary>
public static class LocalProject
{
    /// <summary>The state folder a project's local runs use unless told otherwise: .argoetl/local in the project folder.</summary>
    public static string DefaultStateDirectory(EtlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Path.Combine(profile.ProjectDirectory, ".argoetl", "local");
    }

    public static async Task<(IReadOnlyList<ManifestDocument> Documents, IReadOnlyDictionary<string, LocalImage> Images)> PrepareAsync(
        EtlProfile profile, string stateDirectory, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);
        var builder = new LocalArtifactBuilder(stateDirectory);
        var images = new Dictionary<string, EtlImage>(StringComparer.Ordinal);
        foreach (var artifact in profile.Artifacts)
        {
            progress.Report(new DevEvent("build", $"Building {artifact.ImageName} for the local target"));
            var image = await ((IArtifactBuilder)builder).BuildAsync(profile, artifact, progress, cancellationToken).ConfigureAwait(false);
            images[artifact.ImageName] = image;
            progress.Report(new DevEvent("build", $"{artifact.ImageName}: {image.FullyQualifiedName}{(image.Cached ? " (unchanged, not built again)" : string.Empty)}", image));
        }

        var rendered = await new SkaffoldManifestRenderer(new ProjectContext("dev")).RenderAsync(profile, images, progress, cancellationToken).ConfigureAwait(false);
        return ([.. rendered.Select(r => r.ToDocument())], builder.Built);
    }
}
