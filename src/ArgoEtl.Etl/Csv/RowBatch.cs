using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Csv;

/// <summary>A batch of parsed rows in columnar form: one row group for Parquet, one write for NDJSON.</summary>
internal sealed class RowBatch
{
    public RowBatch(TableSchema schema, int capacity)
    {
        Capacity = capacity;
        Columns = schema.Columns.Select(c => ColumnBuffer.Create(c, capacity)).ToArray();
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
