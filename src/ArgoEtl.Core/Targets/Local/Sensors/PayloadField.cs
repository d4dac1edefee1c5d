namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A parameter of an expr filter: <paramref name="Name"/> in the expression is the value at gjson <paramref name="Path"/>.</summary>
public sealed record PayloadField(string Name, string Path);
