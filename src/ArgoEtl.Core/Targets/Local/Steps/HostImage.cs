namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>
/// How an image runs as a host process: <paramref name="Entrypoint"/> stands for the image's entrypoint (for a project-built
/// .NET image: "dotnet /path/ArgoEtl.Etl.dll"). When <paramref name="KeepCommand"/> is false the container's own
/// command is taken to name that same in-image entrypoint and is replaced; when true (a tool image whose commands exist
/// on the host, e.g. a shell) a container command runs as given, found on the host's PATH.
/// </summary>
public sealed record HostImage(IReadOnlyList<string> Entrypoint, bool KeepCommand = false);
