namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A parsed Sensor: its dependencies and triggers, and the document it came from (for file:line).</summary>
public sealed record SensorDefinition(string Name, string? Namespace, IReadOnlyList<SensorDependency> Dependencies, IReadOnlyList<SensorTrigger> Triggers, ManifestDocument Document)
{
    public string Where(string pointer) => Document.Where(pointer);
}
