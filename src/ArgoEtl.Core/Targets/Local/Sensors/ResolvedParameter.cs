namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A parameter's value and how it was found: the gjson type of a key's result ("JSON", "Number", ...) or
/// "String" for templates, defaults and whole events — only non-String values are written raw with useRawData.</summary>
public sealed record ResolvedParameter(string Value, string Type)
{
    public const string StringType = "String";
}
