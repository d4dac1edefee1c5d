using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// A Workflow to run and where it was written: a Workflow manifest (<see cref="Pointer"/> empty), or the resource of a
/// Sensor trigger (the document is the Sensor, <see cref="Pointer"/> the resource's JSON Pointer in it, so errors name
/// the Sensor's file:line). <see cref="Origin"/> becomes <c>EtlWorkflowRun.Workflow</c>.
/// </summary>
public sealed record WorkflowSource(JsonObject Workflow, ManifestDocument Document, string Pointer = "", string? Origin = null)
{
    /// <summary>A Workflow manifest as it was loaded.</summary>
    public static WorkflowSource Of(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new WorkflowSource(document.Object, document);
    }

    public string Where(string pointer) => Document.Where(Pointer + pointer);
}
