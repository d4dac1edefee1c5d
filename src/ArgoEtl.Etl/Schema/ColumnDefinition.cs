namespace ArgoEtl.Etl.Schema;

/// <summary>One output column: its name and the type every value must parse as. Empty fields become nulls.</summary>
public sealed record ColumnDefinition(string Name, ColumnType Type)
{
    public override string ToString() => $"{Name}:{TableSchema.TypeName(Type)}";
}
