namespace ArgoEtl.Core.Targets.Local.Sensors.Paths;

/// <summary>gjson's result types, spelled as gjson's Type.String() spells them (params.go compares "JSON" and "String").</summary>
public enum GjsonType
{
    Null,
    False,
    Number,
    String,
    True,
    JSON,
}
