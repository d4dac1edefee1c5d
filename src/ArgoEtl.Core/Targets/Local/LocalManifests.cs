using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Targets.Local;

/// <summary>Manifest files read straight into the local target's documents (rendered ones come from RenderedObject.ToDocument).</summary>
public static class LocalManifests
{
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
}
