namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A data filter (upstream DataFilter): the value at gjson <paramref name="Path"/>, optionally run through
/// <paramref name="Template"/>, compared as <paramref name="Type"/> (string: regexes, number, bool) with any of <paramref name="Values"/>.</summary>
/// <param name="Pointer">JSON Pointer of the filter in the Sensor, for file:line.</param>
public sealed record DataFilter(string Path, string Type, IReadOnlyList<string> Values, string Comparator, string? Template, string Pointer);
