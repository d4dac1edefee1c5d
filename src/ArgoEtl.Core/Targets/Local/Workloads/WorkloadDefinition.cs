using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// A Deployment of the manifests as the local target runs it: one host process for its one container, with the pod
/// template's labels (Services select it by them), volumes and grace period. Pointers are JSON Pointers into
/// <see cref="Document"/>, so every later error names file:line.
/// </summary>
public sealed record WorkloadDefinition(
    string Name,
    ManifestDocument Document,
    JsonObject Container,
    string ContainerPointer,
    JsonArray Volumes,
    IReadOnlyDictionary<string, string> Labels,
    TimeSpan GracePeriod)
{
    /// <summary>The image the container names (the rendered reference of a built artifact).</summary>
    public string Image => (string?)Container["image"] ?? string.Empty;

    /// <summary>file:line of a node below the container.</summary>
    public string Where(string relativePointer) => Document.Where(ContainerPointer + relativePointer);

    public override string ToString() => $"Deployment/{Name} ({Document.File}:{Document.Line})";
}
