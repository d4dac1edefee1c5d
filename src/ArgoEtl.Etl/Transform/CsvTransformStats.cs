using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Transform;

/// <summary>What one conversion did: rows written, rows rejected, and the schema used (given or inferred).</summary>
public sealed record CsvTransformStats(long Rows, long RejectedRows, TableSchema Schema, bool SchemaInferred);
