using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Transform;

/// <summary>What one conversion did: rows written, rows rejected, and the schema used (given or inferred).</summary>
public sealed record CsvTransformStats(long Rows, long RejectedRows, TableSchema Schema, bool SchemaInferred)
{
    /// <summary>For an inferred schema: the schema with, per column kept as a string though it looks numeric, why (see <see cref="InferredSchema.Report"/>).</summary>
    public string? InferenceReport { get; init; }
}
