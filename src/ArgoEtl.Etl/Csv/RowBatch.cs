using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Csv;

/// <summary>A batch of parsed rows in columnar form: one row group for Parquet, one write for NDJSON.</summary>
internal sealed class RowBatch
{
    /// <param name="doublesAsJsonText">Keep double columns as their JSON text (for NDJSON output): see <see cref="JsonNumberColumnBuffer"/>.</param>
    public RowBatch(TableSchema schema, int capacity, bool doublesAsJsonText = false)
    {
        Capacity = capacity;
        Columns = schema.Columns.Select(c => doublesAsJsonText && c.Type == ColumnType.Double
            ? new JsonNumberColumnBuffer(c, capacity)
            : ColumnBuffer.Create(c, capacity)).ToArray();
    }

    public ColumnBuffer[] Columns { get; }

    public int Capacity { get; }

    public int Count { get; set; }

    public bool IsFull => Count == Capacity;

    public void Clear()
    {
        Count = 0;
        foreach (var c in Columns)
        {
            c.Clear();
        }
    }
}
