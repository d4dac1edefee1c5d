namespace ArgoEtl.Etl.Schema;

/// <summary>The value types a CSV column can be converted to; each maps to one Parquet physical+logical type.</summary>
public enum ColumnType
{
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    Date,
    Timestamp,
}
