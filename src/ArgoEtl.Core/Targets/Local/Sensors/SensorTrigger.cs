using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// A Sensor trigger: its template as JSON (patched by <paramref name="Parameters"/>, the trigger-level parameters,
/// before its kind's part is read), the condition over dependency names, or all dependencies when there is none.
/// </summary>
/// <param name="Dependencies">The dependencies the trigger waits for: those its condition names, else all.</param>
/// <param name="Pointer">JSON Pointer of the trigger in the Sensor, for file:line.</param>
public sealed record SensorTrigger(
    string Name,
    TriggerKind Kind,
    string? Conditions,
    IReadOnlyList<string> Dependencies,
    JsonObject Template,
    IReadOnlyList<TriggerParameter> Parameters,
    string Pointer);
