using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Images;

/// <summary>How images get built: chosen per artifact, or forced with -Builder.</summary>
public enum BuilderKind
{
    Auto,
    DotNet,
    Docker,
    Buildah,
    Podman,
}

/// <summary>One build-and-push: the context, where the image goes, and how to log in there.</summary>
public sealed record BuildRequest(string Artifact, string Context, string? Dockerfile, IReadOnlyDictionary<string, string> BuildArgs,
    string Registry, string Repository, string Tag, string? BaseImage, RegistryCredentials? Credentials)
{
    public string Reference => $"{Registry}/{Repository}:{Tag}";
}

/// <summary>Builds an image and pushes it under its tag (the tag appears only once every layer is in the registry), or writes it to an archive to load into a local cluster.</summary>
public interface IImageBuilder
{
    BuilderKind Kind { get; }

    Task BuildAndPushAsync(BuildRequest request, Action<string> log, CancellationToken cancellationToken);

    /// <summary>Builds the image as <see cref="BuildRequest.Repository"/>:<see cref="BuildRequest.Tag"/> into a docker-archive tarball at <paramref name="archive"/>.</summary>
    Task BuildToArchiveAsync(BuildRequest request, string archive, Action<string> log, CancellationToken cancellationToken);
}

/// <summary>The .NET SDK's daemonless container support: dotnet publish -t:PublishContainer, straight to the registry.</summary>
public sealed class DotNetBuilder : IImageBuilder
{
    public BuilderKind Kind => BuilderKind.DotNet;

    /// <summary>The project file a context builds: the context itself when it is a .csproj, or the only one in it.</summary>
    public static string? ProjectIn(string context)
    {
        if (File.Exists(context) && context.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            return context;
        }

        var projects = Directory.Exists(context) ? Directory.GetFiles(context, "*.csproj") : [];
        return projects.Length == 1 ? projects[0] : null;
    }

    public Task BuildAndPushAsync(BuildRequest request, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string project = ProjectIn(request.Context) ?? throw new EtlException(EtlErrors.DotNetProjectNotFound, $"Artifact '{request.Artifact}': no single .csproj in {request.Context}.", "Point the artifact's context at the project folder or its .csproj.", request.Artifact);
        var args = new List<string>
        {
            "publish", project, "-c", "Release", "-t:PublishContainer", "--nologo",
            $"-p:ContainerRegistry={request.Registry}", $"-p:ContainerRepository={request.Repository}", $"-p:ContainerImageTag={request.Tag}",
        };
        if (request.BaseImage is not null)
        {
            args.Add($"-p:ContainerBaseImage={request.BaseImage}");
        }

        // The SDK reads the login from these variables; they reach only its process, never the output.
        var env = new Dictionary<string, string>();
        if (RegistryClient.IsInsecure(request.Registry))
        {
            env["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = request.Registry;
        }

        if (request.Credentials is { } credentials)
        {
            env["DOTNET_CONTAINER_REGISTRY_UNAME"] = credentials.User;
            env["DOTNET_CONTAINER_REGISTRY_PWORD"] = credentials.Password;
        }

        return ToolProcess.RunAsync("dotnet", args, env, Path.GetDirectoryName(project), log, "dotnet publish -t:PublishContainer", request.Artifact, cancellationToken);
    }

    public Task BuildToArchiveAsync(BuildRequest request, string archive, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string project = ProjectIn(request.Context) ?? throw new EtlException(EtlErrors.DotNetProjectNotFound, $"Artifact '{request.Artifact}': no single .csproj in {request.Context}.", "Point the artifact's context at the project folder or its .csproj.", request.Artifact);
        var args = new List<string>
        {
            "publish", project, "-c", "Release", "-t:PublishContainer", "--nologo",
            $"-p:ContainerArchiveOutputPath={archive}", $"-p:ContainerRepository={request.Repository}", $"-p:ContainerImageTag={request.Tag}",
        };
        if (request.BaseImage is not null)
        {
            args.Add($"-p:ContainerBaseImage={request.BaseImage}");
        }

        var env = new Dictionary<string, string>();
        if (request.BaseImage is { } baseImage && RegistryClient.IsInsecure(baseImage.Split('/')[0]))
        {
            env["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = baseImage.Split('/')[0];
        }

        return ToolProcess.RunAsync("dotnet", args, env, Path.GetDirectoryName(project), log, "dotnet publish -t:PublishContainer (archive)", request.Artifact, cancellationToken);
    }
}

/// <summary>Dockerfile contexts with docker (when an engine answers), buildah (vfs storage, chroot isolation: no daemon, no root-only setup) or podman.</summary>
public sealed class DockerfileBuilder(BuilderKind kind, string? buildahRoot = null) : IImageBuilder
{
    private readonly Lazy<BuildahStorage> _buildah = new(() => new BuildahStorage(buildahRoot));

    public BuilderKind Kind { get; } = kind;

    /// <summary>docker when its engine answers, else buildah, else podman; null when none can build here.</summary>
    public static BuilderKind? Detect()
    {
        if (ToolProcess.Answers("docker", "info", "--format", "{{.ServerVersion}}"))
        {
            return BuilderKind.Docker;
        }

        if (ToolProcess.Answers("buildah", "--version"))
        {
            return BuilderKind.Buildah;
        }

        return ToolProcess.Answers("podman", "--version") ? BuilderKind.Podman : null;
    }

    public async Task BuildToArchiveAsync(BuildRequest request, string archive, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string dockerfile = DockerfileOf(request);
        string reference = $"{request.Repository}:{request.Tag}";
        var buildArgs = request.BuildArgs.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { "--build-arg", $"{p.Key}={p.Value}" }).ToList();
        switch (Kind)
        {
            case BuilderKind.Buildah:
                var buildah = _buildah.Value;
                await ToolProcess.RunAsync("buildah", [.. buildah.Arguments, "bud", "--isolation", "chroot", "-f", dockerfile, "-t", reference, .. buildArgs, request.Context], buildah.Environment, null, log, "buildah bud", request.Artifact, cancellationToken).ConfigureAwait(false);
                await ToolProcess.RunAsync("buildah", [.. buildah.Arguments, "push", reference, $"docker-archive:{archive}:{reference}"], buildah.Environment, null, log, "buildah push (archive)", request.Artifact, cancellationToken).ConfigureAwait(false);
                break;
            default:
                string tool = Kind == BuilderKind.Podman ? "podman" : "docker";
                await ToolProcess.RunAsync(tool, ["build", "-f", dockerfile, "-t", reference, .. buildArgs, request.Context], null, null, log, $"{tool} build", request.Artifact, cancellationToken).ConfigureAwait(false);
                await ToolProcess.RunAsync(tool, ["save", "-o", archive, reference], null, null, log, $"{tool} save", request.Artifact, cancellationToken).ConfigureAwait(false);
                break;
        }
    }


    private static string DockerfileOf(BuildRequest request)
    {
        string dockerfile = request.Dockerfile ?? Path.Combine(request.Context, "Dockerfile");
        if (!File.Exists(dockerfile))
        {
            throw new EtlException(EtlErrors.DockerfileNotFound, $"Artifact '{request.Artifact}': {dockerfile} does not exist.",
                "Add the Dockerfile, or set docker.dockerfile in skaffold.yaml to its path relative to the context.", request.Artifact);
        }

        return dockerfile;
    }

    public async Task BuildAndPushAsync(BuildRequest request, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string dockerfile = DockerfileOf(request);

        // A private auth file for this push: the login never goes on a command line or into the user's config.
        string authDir = Path.Combine(Path.GetTempPath(), "argoetl-auth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(authDir);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(authDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string authFile = Path.Combine(authDir, "config.json");
        var auths = new JsonObject();
        if (request.Credentials is { } credentials)
        {
            auths[request.Registry] = new JsonObject { ["auth"] = credentials.Basic };
        }

        await File.WriteAllTextAsync(authFile, new JsonObject { ["auths"] = auths }.ToJsonString(), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        try
        {
            var buildArgs = request.BuildArgs.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { "--build-arg", $"{p.Key}={p.Value}" }).ToList();
            bool insecure = RegistryClient.IsInsecure(request.Registry);
            switch (Kind)
            {
                case BuilderKind.Buildah:
                    var buildah = _buildah.Value;
                    await ToolProcess.RunAsync("buildah", [.. buildah.Arguments, "bud", "--isolation", "chroot", "-f", dockerfile, "-t", request.Reference, .. buildArgs, request.Context],
                        buildah.Environment, null, log, "buildah bud", request.Artifact, cancellationToken).ConfigureAwait(false);
                    await ToolProcess.RunAsync("buildah", [.. buildah.Arguments, "push", $"--tls-verify={(!insecure).ToString().ToLowerInvariant()}", "--authfile", authFile, request.Reference],
                        buildah.Environment, null, log, "buildah push", request.Artifact, cancellationToken).ConfigureAwait(false);
                    break;
                case BuilderKind.Podman:
                    await ToolProcess.RunAsync("podman", ["build", "-f", dockerfile, "-t", request.Reference, .. buildArgs, request.Context], null, null, log, "podman build", request.Artifact, cancellationToken).ConfigureAwait(false);
                    await ToolProcess.RunAsync("podman", ["push", $"--tls-verify={(!insecure).ToString().ToLowerInvariant()}", "--authfile", authFile, request.Reference], null, null, log, "podman push", request.Artifact, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await ToolProcess.RunAsync("docker", ["--config", authDir, "build", "-f", dockerfile, "-t", request.Reference, .. buildArgs, request.Context], null, null, log, "docker build", request.Artifact, cancellationToken).ConfigureAwait(false);
                    await ToolProcess.RunAsync("docker", ["--config", authDir, "push", request.Reference], null, null, log, "docker push", request.Artifact, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        finally
        {
            Directory.Delete(authDir, recursive: true);
        }
    }
}
