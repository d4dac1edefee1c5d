using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Dev;

/// <summary>Renders as Export-EtlManifest does ('skaffold render': rawYaml globs and Helm releases); its warnings become render events.</summary>
public sealed class SkaffoldManifestRenderer(ProjectContext context) : IManifestRenderer
{
    /// <summary>Folders to look for helm in (PATH syntax); null means the PATH environment variable.</summary>
    public string? HelmSearchPath { get; init; }

    /// <summary>The session whose hook-set template values each render uses; null renders without any.</summary>
    public DevSession? Session { get; init; }

    public IReadOnlyList<string> Dependencies(EtlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        string Full(string relative) => Path.GetFullPath(Path.Combine(profile.ProjectDirectory, relative));
        return
        [
            .. profile.RawYaml.Where(p => !p.Contains("://", StringComparison.Ordinal)).Select(Full),
            .. profile.HelmReleases.Where(r => r.ChartPath is not null).Select(r => Full(r.ChartPath!)),
            .. profile.HelmReleases.SelectMany(r => r.ValuesFiles).Where(f => !f.Contains("{{", StringComparison.Ordinal)).Select(Full),
        ];
    }

    public Task<IReadOnlyList<RenderedObject>> RenderAsync(EtlProfile profile, IReadOnlyDictionary<string, EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(progress);
        var references = images.ToDictionary(i => i.Key, i => i.Value.FullyQualifiedName, StringComparer.Ordinal);
        var renderer = new ManifestRenderer(references, context, w => progress.Report(new DevEvent("render", w.ToString()))) { HelmSearchPath = HelmSearchPath, SessionValues = Session?.Values ?? new Dictionary<string, string>(StringComparer.Ordinal) };
        return Task.FromResult(renderer.RenderObjects(profile, cancellationToken));
    }
}
