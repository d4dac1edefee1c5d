using System.Collections.Concurrent;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Schema;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// Fills a columnar batch from parsed rows and encodes it as one Parquet row group, written as a standalone Parquet
/// file in memory: each worker encodes (and compresses, the largest cost) its own row groups, and
/// <see cref="ParquetAssembler"/> joins the parts into one file.
/// </summary>
internal sealed class ParquetRowGroupEncoder : IRowEncoder
{
    private readonly RowBatch _batch;
    private readonly int[] _fieldOf;
    private readonly ParquetLayout _layout;
    private readonly ConcurrentBag<MemoryStream> _streams;
    private readonly ParquetScratch _scratch;

    /// <param name="streams">Part buffers shared by all workers: a part's stream comes back once it is written.</param>
    public ParquetRowGroupEncoder(TableSchema schema, int[] fieldOf, int rowGroupRows, bool quoted, ParquetCompression compression, ConcurrentBag<MemoryStream> streams)
    {
        _batch = new RowBatch(schema, rowGroupRows, quoted);
        _fieldOf = fieldOf;
        _layout = new ParquetLayout(schema, compression);
        _scratch = new ParquetScratch(_layout);
        _streams = streams;
    }

    public int Count => _batch.Count;

    public bool IsFull => _batch.IsFull;

    public int TryAppend(SepReader.Row row)
    {
        var columns = _batch.Columns;
        int r = _batch.Count;
        for (int c = 0; c < columns.Length; c++)
        {
            if (!columns[c].TryAppend(row[_fieldOf[c]].Span, r))
            {
                // Take back what the columns before the bad one appended for this row.
                for (int before = 0; before < c; before++)
                {
                    columns[before].RemoveRow(r);
                }

                return c;
            }
        }

        _batch.Count++;
        return -1;
    }

    public EncodedPiece TakeEncoded()
    {
        int rows = _batch.Count;
        var part = _streams.TryTake(out var reused) ? reused : new MemoryStream();
        part.SetLength(0);
        WritePart(part, _layout, rows == 0 ? null : _batch, _scratch);
        _batch.Clear();
        return new EncodedPiece(part.GetBuffer(), (int)part.Length, rows, () => _streams.Add(part));
    }

    /// <summary>A whole Parquet file holding <paramref name="batch"/> as its one row group, or no row group at all.</summary>
    public static void WritePart(Stream part, ParquetLayout layout, RowBatch? batch, ParquetScratch? scratch = null)
    {
        var writer = new ParquetBatchWriter(part, layout, scratch);
        try
        {
            if (batch is not null)
            {
                writer.WriteAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            writer.CompleteAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public void Dispose() => _scratch.Dispose();
}
