namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A trigger parameter: the resolved value written at sjson <paramref name="Dest"/> with
/// <paramref name="Operation"/> (overwrite — also when empty —, append or prepend).</summary>
public sealed record TriggerParameter(TriggerParameterSource Source, string Dest, string Operation, string Pointer);
