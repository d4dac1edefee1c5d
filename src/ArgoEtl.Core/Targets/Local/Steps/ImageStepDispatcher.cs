namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>
/// Picks where a step runs from its image: a host process when the image table maps it (the project's own .NET
/// images), else a container when the image is in local container storage, else an error naming the step, the image
/// and how to provide it.
/// </summary>
public sealed class ImageStepDispatcher(HostProcessStepRunner host, ContainerStepRunner? containers) : IStepRunner
{
    /// <summary>The usual setup: the project's image table on the host, and whichever container engine is on PATH (docker, podman, buildah), if any.</summary>
    public static ImageStepDispatcher Create(IReadOnlyDictionary<string, HostImage> images, string? buildahRoot = null) =>
        new(new HostProcessStepRunner(images), ContainerStepRunner.Detect() is { } engine ? new ContainerStepRunner(engine, buildahRoot) : null);

    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (host.Handles(request.Image))
        {
            return await host.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (containers is not null && await containers.HasImageAsync(request.Image, cancellationToken).ConfigureAwait(false))
        {
            return await containers.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }

        string how = containers is null
            ? "No container engine (buildah, docker, podman) is on PATH here: install one and put the image into its local storage, or build the image from a .NET project of this one so it runs as a host process."
            : $"Build it with the project (an artifact in skaffold.yaml), or put it into {containers.Engine.ToString().ToLowerInvariant()}'s local storage ({(containers.Engine == ContainerEngine.Buildah ? "buildah " + string.Join(' ', containers.Buildah.Arguments) + " pull " : containers.Engine.ToString().ToLowerInvariant() + " pull ")}{request.Image}).";
        throw new EtlException(EtlErrors.LocalImageUnavailable, $"Step '{request.NodeName}': image '{request.Image}' is neither built by the project nor present locally.", how, request.Image);
    }
}
