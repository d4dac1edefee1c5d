using System.Globalization;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Targets.Local;

/// <summary>
/// Rendered manifests as the local target reads them: the rendered object (images already put in), with the line
/// numbers of the file it was rendered from. Rendering only replaces values, so the original document's line map
/// still points at the right field; a Helm release has no file of its own and keeps the rendered text's lines.
/// </summary>
public static class LocalManifests
{
    public static IReadOnlyList<ManifestDocument> FromRendered(IEnumerable<RenderedManifest> rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var originals = new Dictionary<string, IReadOnlyList<YamlDocumentAt>>(StringComparer.Ordinal);
        var documents = new List<ManifestDocument>();
        foreach (var manifest in rendered)
        {
            var (file, line) = SplitSource(manifest.Source);
            var renderedDoc = YamlFile.Parse(manifest.Yaml, manifest.Source).Single();
            if (YamlFile.ToJson(renderedDoc.Root) is not JsonObject obj)
            {
                continue;
            }

            YamlNode lineSource = renderedDoc.Root;
            if (file is not null && File.Exists(file))
            {
                if (!originals.TryGetValue(file, out var docs))
                {
                    docs = YamlFile.Load(file);
                    originals[file] = docs;
                }

                lineSource = docs.FirstOrDefault(d => d.Line == line)?.Root ?? lineSource;
            }

            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            YamlFile.ToJson(lineSource, lines);
            documents.Add(new ManifestDocument(obj, file ?? manifest.Source, line, lines));
        }

        return documents;
    }

    /// <summary>Parses YAML files directly (tests, and manifests that are not part of a profile).</summary>
    public static IReadOnlyList<ManifestDocument> Load(string path)
    {
        var documents = new List<ManifestDocument>();
        foreach (var doc in YamlFile.Load(path))
        {
            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            if (YamlFile.ToJson(doc.Root, lines) is JsonObject obj)
            {
                documents.Add(new ManifestDocument(obj, path, doc.Line, lines));
            }
        }

        return documents;
    }

    private static (string? File, int Line) SplitSource(string source)
    {
        int colon = source.LastIndexOf(':');
        return colon > 0 && int.TryParse(source.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int line)
            ? (source[..colon], line)
            : (null, 1);
    }
}
