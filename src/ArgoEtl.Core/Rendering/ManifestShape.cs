using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// What makes a manifest document a Kubernetes object: a mapping with apiVersion, kind and a name (metadata.name, or
/// metadata.generateName for objects the server names). Export-EtlManifest refuses a document without them and
/// Test-EtlProject reports it, by the same rule, so the two never disagree.
/// </summary>
public static class ManifestShape
{
    /// <summary>Why the document is not a Kubernetes object; null when it is one.</summary>
    public static string? Problem(YamlNode root)
    {
        if (root is not YamlMappingNode map)
        {
            return $"the document is {(root is YamlSequenceNode ? "a list" : "a plain value")}, not a Kubernetes object (a mapping with apiVersion, kind and metadata.name)";
        }

        var missing = new List<string>();
        if (ImageRewriter.Text(map, "apiVersion") is not { Length: > 0 })
        {
            missing.Add("apiVersion");
        }

        string? kind = ImageRewriter.Text(map, "kind");
        if (kind is not { Length: > 0 })
        {
            missing.Add("kind");
        }

        // A List carries its objects in items and has no name of its own.
        bool named = ImageRewriter.Walk(map, ["metadata", "name"]) is YamlScalarNode { Value.Length: > 0 }
            || ImageRewriter.Walk(map, ["metadata", "generateName"]) is YamlScalarNode { Value.Length: > 0 };
        if (!named && kind?.EndsWith("List", StringComparison.Ordinal) != true)
        {
            missing.Add("metadata.name");
        }

        return missing.Count == 0 ? null : $"the document is not a Kubernetes object: it has no {string.Join(", ", missing)}";
    }
}
