namespace ArgoEtl.Etl.Schema;

/// <summary>
/// An inferred schema and, per column kept as a string although its values look numeric, why: the first value that
/// would not come back unchanged from a number, e.g. <c>zip: leading zero, line 2</c>.
/// </summary>
public sealed record InferredSchema(TableSchema Schema, IReadOnlyDictionary<string, string> Notes)
{
    /// <summary>The schema in name:type form with each note after its column: <c>id:int32,zip:string (leading zero, line 2)</c>.</summary>
    public string Report() => string.Join(',', Schema.Columns.Select(c => Notes.TryGetValue(c.Name, out var note) ? $"{c} ({note})" : c.ToString()));
}
