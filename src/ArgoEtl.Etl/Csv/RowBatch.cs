using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Csv;

/// <summary>A batch of parsed rows in columnar form: one row group for Parquet, one write for NDJSON.</summary>
internal sealed class RowBatch
{
    /// <param name="numbersAsJsonText">Keep numeric columns as their JSON text (for NDJSON output): see <see cref="JsonNumberColumnBuffer"/>.</param>
    public RowBatch(TableSchema schema, int capacity, bool numbersAsJsonText = false, bool quoted = true)
    {
        Capacity = capacity;
        Columns = schema.Columns.Select(c => numbersAsJsonText && c.Type is ColumnType.Double or ColumnType.Int32 or ColumnType.Int64
            ? new JsonNumberColumnBuffer(c, capacity, quoted)
            : ColumnBuffer.Create(c, capacity, quoted)).ToArray();
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
