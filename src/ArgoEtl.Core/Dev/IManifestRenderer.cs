using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Dev;

/// <summary>The dev loop's render phase: the profile's manifests, with the built images put in, as objects (never YAML text to parse again).</summary>
public interface IManifestRenderer
{
    /// <summary>Files, folders or patterns (full paths) whose change means render and deploy again: rawYaml globs, charts, values files.</summary>
    IReadOnlyList<string> Dependencies(EtlProfile profile);

    /// <param name="images">Artifact image name → its built image.</param>
    Task<IReadOnlyList<RenderedObject>> RenderAsync(EtlProfile profile, IReadOnlyDictionary<string, EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken);
}
