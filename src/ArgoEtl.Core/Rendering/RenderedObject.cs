using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// One rendered object for a deployer: the object as JSON (typed as the YAML 1.2 core schema reads it), its
/// <see cref="RenderedManifest"/> (what, where from, and the YAML Export-EtlManifest writes), the file and line of its
/// document, and the line of every node by JSON Pointer. Each render makes new objects, so a deployer may change them.
/// </summary>
public sealed record RenderedObject(RenderedManifest Manifest, JsonObject Object, string File, int Line, IReadOnlyDictionary<string, int> Lines)
{
    /// <summary>The same object as the local target reads it.</summary>
    public ManifestDocument ToDocument() => new(Object, File, Line, Lines);

    public override string ToString() => $"{Manifest} ({Manifest.Source})";
}
