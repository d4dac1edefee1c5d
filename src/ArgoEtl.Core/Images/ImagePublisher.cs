using System.Diagnostics;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Images;

/// <summary>How image tags are chosen.</summary>
public enum TagPolicy
{
    /// <summary>A digest of the build inputs: the same inputs give the same tag, so unchanged images are found, not rebuilt.</summary>
    InputDigest,

    /// <summary>The git commit (short), with -dirty when the context has uncommitted changes.</summary>
    GitCommit,

    /// <summary>A tag given by the caller.</summary>
    Custom,
}

/// <summary>Where images go and how they are made.</summary>
public sealed record PublishOptions
{
    /// <summary>host[:port][/path]: Skaffold's default-repo; each artifact goes to &lt;registry&gt;/&lt;image name&gt;. Null with <see cref="LoadInto"/>.</summary>
    public string? Registry { get; init; }

    /// <summary>No registry: load images into this local minikube cluster instead.</summary>
    public Minikube? LoadInto { get; init; }

    public RegistryCredentials? Credentials { get; init; }

    public BuilderKind Builder { get; init; } = BuilderKind.Auto;

    /// <summary>The base image for .NET container builds (default: the SDK's choice, a .NET runtime image).</summary>
    public string? BaseImage { get; init; }

    public TagPolicy TagPolicy { get; init; } = TagPolicy.InputDigest;

    public string? Tag { get; init; }

    /// <summary>Where buildah keeps its storage; null uses ~/.local/share/argoetl/buildah.</summary>
    public string? BuildahRoot { get; init; }
}

/// <summary>
/// Publishes one artifact: works out its tag, asks the registry whether that tag is already there (then it is
/// "cached" and nothing is built), otherwise builds and pushes it, and reads the digest back from the registry.
/// </summary>
public sealed class ImagePublisher(RegistryClient registry, PublishOptions options)
{
    public async Task<EtlImage> PublishAsync(EtlArtifact artifact, string projectDirectory, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var clock = Stopwatch.StartNew();
        string context = Path.GetFullPath(Path.Combine(projectDirectory, artifact.Context));
        if (!Directory.Exists(context) && !File.Exists(context))
        {
            throw new EtlException(EtlErrors.BuildContextNotFound, $"Artifact '{artifact.ImageName}': its context {context} does not exist.",
                "Fix the artifact's context in skaffold.yaml (it is relative to the file).", artifact.ImageName);
        }

        string? dockerfile = artifact.Dockerfile is null ? null : Path.GetFullPath(Path.Combine(Directory.Exists(context) ? context : Path.GetDirectoryName(context)!, artifact.Dockerfile));
        var builder = ChooseBuilder(artifact, context, dockerfile);
        bool dotNet = builder.Kind == BuilderKind.DotNet;
        string contextDir = Directory.Exists(context) ? context : Path.GetDirectoryName(context)!;
        string tag = options.TagPolicy switch
        {
            TagPolicy.Custom => options.Tag ?? throw new EtlException(EtlErrors.TagMissing, "TagPolicy Custom needs -Tag.", "Pass -Tag, or use the InputDigest or GitCommit policy."),
            TagPolicy.GitCommit => await GitTagAsync(contextDir, artifact.ImageName, cancellationToken).ConfigureAwait(false),
            _ => BuildInputs.Digest(contextDir, dotNet, dotNet ? null : dockerfile, artifact.BuildArgs, builder.Kind.ToString(), dotNet ? options.BaseImage : null)[..16],
        };

        if (options.LoadInto is { } minikube)
        {
            return await LoadAsync(minikube, builder, artifact, context, dockerfile, tag, clock, log, cancellationToken).ConfigureAwait(false);
        }

        var (host, repository) = Split(options.Registry ?? throw new EtlException(EtlErrors.RegistryMissing, $"Artifact '{artifact.ImageName}' has nowhere to go: neither a registry nor a cluster to load into was given.", target: artifact.ImageName), artifact.ImageName);
        string? existing = await registry.DigestAsync(host, repository, tag, options.Credentials, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            log($"{host}/{repository}:{tag} is already in the registry: not rebuilt");
            return new EtlImage { Artifact = artifact.ImageName, Repository = $"{host}/{repository}", Tag = tag, Digest = existing, Builder = builder.Kind.ToString(), Cached = true, Duration = clock.Elapsed };
        }

        var request = new BuildRequest(artifact.ImageName, context, dockerfile, artifact.BuildArgs, host, repository, tag, options.BaseImage, options.Credentials);
        await builder.BuildAndPushAsync(request, log, cancellationToken).ConfigureAwait(false);
        string digest = await registry.DigestAsync(host, repository, tag, options.Credentials, cancellationToken).ConfigureAwait(false)
            ?? throw new EtlException(EtlErrors.ImagePushMissing, $"Artifact '{artifact.ImageName}': the builder finished but {request.Reference} is not in the registry.",
                "Check the builder's output for a push to another registry.", artifact.ImageName);
        return new EtlImage { Artifact = artifact.ImageName, Repository = $"{host}/{repository}", Tag = tag, Digest = digest, Builder = builder.Kind.ToString(), Pushed = true, Duration = clock.Elapsed };
    }

    // A local cluster without a registry: build to an archive and load it; the tag is what manifests then use.
    private async Task<EtlImage> LoadAsync(Minikube minikube, IImageBuilder builder, EtlArtifact artifact, string context, string? dockerfile, string tag,
        System.Diagnostics.Stopwatch clock, Action<string> log, CancellationToken cancellationToken)
    {
        string repository = artifact.ImageName.ToLowerInvariant();
        string reference = $"{repository}:{tag}";
        if (await minikube.HasImageAsync(reference, cancellationToken).ConfigureAwait(false))
        {
            log($"{reference} is already in minikube: not rebuilt");
            return new EtlImage { Artifact = artifact.ImageName, Repository = repository, Tag = tag, Builder = builder.Kind.ToString(), Cached = true, Duration = clock.Elapsed };
        }

        string archive = Path.Combine(Path.GetTempPath(), $"argoetl-{Guid.NewGuid():N}.tar");
        try
        {
            var request = new BuildRequest(artifact.ImageName, context, dockerfile, artifact.BuildArgs, string.Empty, repository, tag, options.BaseImage, options.Credentials);
            await builder.BuildToArchiveAsync(request, archive, log, cancellationToken).ConfigureAwait(false);
            await minikube.LoadAsync(archive, artifact.ImageName, log, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(archive);
        }

        return new EtlImage { Artifact = artifact.ImageName, Repository = repository, Tag = tag, Builder = builder.Kind.ToString(), Loaded = true, Duration = clock.Elapsed };
    }

    /// <summary>host and repository path for an artifact under a registry given as host[:port][/path].</summary>
    public static (string Host, string Repository) Split(string registry, string imageName)
    {
        ArgumentNullException.ThrowIfNull(registry);
        string trimmed = registry.TrimEnd('/');
        int slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        string host = slash < 0 ? trimmed : trimmed[..slash];
        string prefix = slash < 0 ? string.Empty : trimmed[(slash + 1)..] + "/";
        return (host, (prefix + imageName).ToLowerInvariant());
    }

    private IImageBuilder ChooseBuilder(EtlArtifact artifact, string context, string? dockerfile)
    {
        var kind = options.Builder;
        if (kind == BuilderKind.Auto)
        {
            bool hasDockerfile = dockerfile is not null && File.Exists(dockerfile);
            kind = !hasDockerfile && DotNetBuilder.ProjectIn(context) is not null ? BuilderKind.DotNet
                : DockerfileBuilder.Detect() ?? throw new EtlException(EtlErrors.BuilderNotFound, $"Artifact '{artifact.ImageName}' needs a container builder: no Docker engine answered, and neither buildah nor podman is installed.",
                    "Install buildah (apt-get install buildah; no daemon needed) or podman, or start Docker.", artifact.ImageName);
        }

        return kind == BuilderKind.DotNet ? new DotNetBuilder() : new DockerfileBuilder(kind, options.BuildahRoot);
    }

    private static async Task<string> GitTagAsync(string context, string artifact, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await ToolProcess.RunAsync("git", ["rev-parse", "--short=12", "HEAD"], null, context, lines.Add, "git rev-parse", artifact, cancellationToken).ConfigureAwait(false);
        var status = new List<string>();
        await ToolProcess.RunAsync("git", ["status", "--porcelain", "--", "."], null, context, status.Add, "git status", artifact, cancellationToken).ConfigureAwait(false);
        return lines.FirstOrDefault(l => l.Length > 0)?.Trim() + (status.Any(s => s.Trim().Length > 0) ? "-dirty" : string.Empty);
    }
}
