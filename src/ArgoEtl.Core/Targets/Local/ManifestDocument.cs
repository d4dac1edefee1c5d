using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local;

/// <summary>
/// One rendered Kubernetes object as the local target reads it: the object as JSON, the file and line of its document,
/// and the line of every node by JSON Pointer ("/spec/templates/0/container/image"), so an unsupported field or an
/// unresolvable parameter is reported at file:line.
/// </summary>
public sealed record ManifestDocument(JsonObject Object, string File, int Line, IReadOnlyDictionary<string, int> Lines)
{
    public string Kind => (string?)Object["kind"] ?? string.Empty;

    public string Name => (string?)Object["metadata"]?["name"] ?? (string?)Object["metadata"]?["generateName"] ?? string.Empty;

    /// <summary>file:line of the node at <paramref name="pointer"/>, or of the nearest ancestor that has one.</summary>
    public string Where(string pointer)
    {
        for (string p = pointer; ; p = p[..Math.Max(0, p.LastIndexOf('/'))])
        {
            if (Lines.TryGetValue(p, out int line))
            {
                return $"{File}:{line}";
            }

            if (p.Length == 0)
            {
                return $"{File}:{Line}";
            }
        }
    }

    public override string ToString() => $"{Kind}/{Name} ({File}:{Line})";
}
