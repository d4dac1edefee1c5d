using System.Xml.Linq;
using System.Collections.Concurrent;
using System.Diagnostics;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Targets.Local.Build;

/// <summary>
/// Builds a profile's artifacts for the local target. A .NET project is published to the state folder and its steps
/// run as host processes (no image, no container start: the fast path); a Dockerfile context is built with buildah
/// into ArgoEtl's storage and its steps run in a container. Outputs are keyed by the build inputs' digest, so an
/// unchanged artifact is not built again, across sessions too.
/// </summary>
public sealed class LocalArtifactBuilder(string stateDirectory, BuildahStorage? buildah = null) : IArtifactBuilder
{
    private readonly BuildahStorage _buildah = buildah ?? new BuildahStorage();
    private readonly ConcurrentDictionary<string, LocalImage> _built = new(StringComparer.Ordinal);

    /// <summary>What was built, by the reference the manifests now carry: the step runners' image table.</summary>
    public IReadOnlyDictionary<string, LocalImage> Built => _built;

    public IReadOnlyList<string> Dependencies(EtlProfile profile, EtlArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(artifact);
        return [Path.GetFullPath(Path.Combine(profile.ProjectDirectory, artifact.Context))];
    }

    async Task<EtlImage> IArtifactBuilder.BuildAsync(EtlProfile profile, EtlArtifact artifact, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);
        var watch = Stopwatch.StartNew();
        var image = await BuildAsync(artifact, profile.ProjectDirectory, line => progress.Report(new DevEvent("build", line)), cancellationToken).ConfigureAwait(false);
        int colon = image.Reference.LastIndexOf(':');
        return new EtlImage
        {
            Artifact = image.ImageName,
            Repository = image.Reference[..colon],
            Tag = image.Reference[(colon + 1)..],
            Builder = image.HostCommand is null ? "Buildah" : "LocalDotNet",
            Cached = image.Cached,
            Duration = watch.Elapsed,
        };
    }

    public async Task<LocalImage> BuildAsync(EtlArtifact artifact, string projectDirectory, Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        string context = Path.GetFullPath(Path.Combine(projectDirectory, artifact.Context));
        if (DotNetBuilder.ProjectIn(context) is { } project)
        {
            return await PublishAsync(artifact, project, log, cancellationToken).ConfigureAwait(false);
        }

        if (!Directory.Exists(context))
        {
            throw new EtlException(EtlErrors.ArtifactContextNotFound, $"Artifact '{artifact.ImageName}': its context {context} does not exist.",
                "Fix build.artifacts[].context in skaffold.yaml (relative to the project folder).", artifact.ImageName);
        }

        string digest = BuildInputs.Digest(context, dotNet: false, artifact.Dockerfile is null ? null : Path.Combine(context, artifact.Dockerfile), artifact.BuildArgs, "local-buildah", null);
        string reference = $"localhost/argoetl-local/{artifact.ImageName.Replace('/', '-')}:{digest[..16]}";
        if (await ImageExistsAsync(reference, cancellationToken).ConfigureAwait(false))
        {
            return Remember(new LocalImage(artifact.ImageName, reference, null, reference, Cached: true));
        }

        string dockerfile = Path.Combine(context, artifact.Dockerfile ?? "Dockerfile");
        var buildArgs = artifact.BuildArgs.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => new[] { "--build-arg", $"{p.Key}={p.Value}" });
        await ToolProcess.RunAsync("buildah", [.. _buildah.Arguments, "bud", "--isolation", "chroot", "-f", dockerfile, "-t", reference, .. buildArgs, context],
            _buildah.Environment, null, log, "buildah bud", artifact.ImageName, cancellationToken).ConfigureAwait(false);
        return Remember(new LocalImage(artifact.ImageName, reference, null, reference, Cached: false));
    }

    private async Task<LocalImage> PublishAsync(EtlArtifact artifact, string project, Action<string> log, CancellationToken cancellationToken)
    {
        string projectDir = Path.GetDirectoryName(project)!;
        string digest = BuildInputs.Digest(projectDir, dotNet: true, null, artifact.BuildArgs, "local-dotnet", null);
        string output = Path.Combine(stateDirectory, "build", artifact.ImageName.Replace('/', '-'), digest[..16]);
        string entry = Path.Combine(output, AssemblyName(project) + ".dll");
        bool cached = File.Exists(entry);
        if (!cached)
        {
            // Published next to where it belongs, then renamed: a build stopped halfway never looks finished.
            string temp = output + ".tmp-" + Environment.ProcessId;
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            await ToolProcess.RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", temp, "--nologo", "-clp:ErrorsOnly"], null, projectDir, log,
                "dotnet publish", artifact.ImageName, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            Directory.Move(temp, output);
        }

        return Remember(new LocalImage(artifact.ImageName, $"{artifact.ImageName}:{digest[..16]}", ["dotnet", entry], null, cached));
    }

    private LocalImage Remember(LocalImage image)
    {
        _built[image.Reference] = image;
        return image;
    }

    private async Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken)
    {
        try
        {
            await ToolProcess.RunAsync("buildah", [.. _buildah.Arguments, "inspect", "--type", "image", reference], _buildah.Environment, null, _ => { }, "buildah inspect", reference, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EtlException ex) when (ex.Code == "ImageBuildFailed")
        {
            return false;
        }
    }

    private static string AssemblyName(string project)
    {
        string? name = XDocument.Load(project).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0);
        return name ?? Path.GetFileNameWithoutExtension(project);
    }
}
