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
        var renderer = new SkaffoldManifestRenderer(new ProjectContext("dev"));

        // A Deployment of a Dockerfile artifact cannot run here: refused at its image line before any build.
        var containerArtifacts = profile.Artifacts.Where(a => DotNetBuilder.ProjectIn(Path.GetFullPath(Path.Combine(profile.ProjectDirectory, a.Context))) is null)
            .Select(a => a.ImageName).ToHashSet(StringComparer.Ordinal);
        if (containerArtifacts.Count > 0)
        {
            var unbuilt = await renderer.RenderAsync(profile, images, new Silent(), cancellationToken).ConfigureAwait(false);
            Workloads.WorkloadParser.CheckArtifacts(Workloads.WorkloadParser.Parse([.. unbuilt.Select(r => r.ToDocument())]), containerArtifacts);
        }

        foreach (var artifact in profile.Artifacts)
        {
            progress.Report(new DevEvent("build", $"Building {artifact.ImageName} for the local target"));
            var image = await ((IArtifactBuilder)builder).BuildAsync(profile, artifact, progress, cancellationToken).ConfigureAwait(false);
            images[artifact.ImageName] = image;
            progress.Report(new DevEvent("build", $"{artifact.ImageName}: {image.FullyQualifiedName}{(image.Cached ? " (unchanged, not built again)" : string.Empty)}", image));
        }

        var rendered = await renderer.RenderAsync(profile, images, progress, cancellationToken).ConfigureAwait(false);
        return ([.. rendered.Select(r => r.ToDocument())], builder.Built);
    }

    /// <summary>The pre-build render's warnings (images not built yet) are not news: the real render reports its own.</summary>
    private sealed class Silent : IProgress<DevEvent>
    {
        public void Report(DevEvent value)
        {
        }
    }
}
