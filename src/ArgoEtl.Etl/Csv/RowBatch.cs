using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Csv;

/// <summary>A batch of parsed rows in columnar form: one Parquet row group.</summary>
internal sealed class RowBatch
{
    public RowBatch(TableSchema schema, int capacity, bool quoted = true)
    {
        Capacity = capacity;
        Columns = schema.Columns.Select(c => ColumnBuffer.Create(c, capacity, quoted)).ToArray();
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
