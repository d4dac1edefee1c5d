namespace ArgoEtl.Core.Targets.Local.Build;

/// <summary>
/// What the local target made of one build artifact: either a host command (a .NET project: the step runs as a process
/// with the container's args and env — the fast path) or a container image in ArgoEtl's buildah storage.
/// </summary>
public sealed record LocalImage(string ImageName, string Reference, IReadOnlyList<string>? HostCommand, string? ContainerImage, bool Cached)
{
    public override string ToString() => HostCommand is { } command ? $"{ImageName} → host: {string.Join(' ', command)}" : $"{ImageName} → container {ContainerImage}";
}
