using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// Builds as Publish-EtlImage does: tag from the inputs, reuse the image the registry (or minikube) already has,
/// otherwise build and push (or load). An artifact depends on everything under its context.
/// </summary>
public sealed class PublishingArtifactBuilder(PublishOptions options) : IArtifactBuilder
{
    public IReadOnlyList<string> Dependencies(EtlProfile profile, EtlArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(artifact);
        return [Path.GetFullPath(Path.Combine(profile.ProjectDirectory, artifact.Context))];
    }

    public async Task<EtlImage> BuildAsync(EtlProfile profile, EtlArtifact artifact, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);
        using var registry = new RegistryClient();
        return await new ImagePublisher(registry, options)
            .PublishAsync(artifact, profile.ProjectDirectory, line => progress.Report(new DevEvent("build", line)), cancellationToken).ConfigureAwait(false);
    }
}
