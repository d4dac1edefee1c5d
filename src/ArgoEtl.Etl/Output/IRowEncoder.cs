using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// Turns parsed CSV rows into one piece of output, on a worker thread of its own: NDJSON lines, or a Parquet row group
/// (as a standalone file that <see cref="IOutputAssembler"/> joins with the others). Each worker has its own encoder.
/// </summary>
internal interface IRowEncoder : IDisposable
{
    /// <summary>Appends the row; -1 when it converted, else the index of the schema column whose value did not (and the row left nothing behind).</summary>
    int TryAppend(SepReader.Row row);

    /// <summary>Rows appended since the last <see cref="TakeEncoded"/>.</summary>
    int Count { get; }

    /// <summary>Time to hand the piece over: a row group's worth of rows, or a buffer's worth of lines.</summary>
    bool IsFull { get; }

    /// <summary>The encoded rows so far, and a fresh start.</summary>
    EncodedPiece TakeEncoded();
}

/// <summary>Writes the pieces, in file order, to the output: on one thread, the one that owns the output stream.</summary>
internal interface IOutputAssembler
{
    ValueTask AppendAsync(EncodedPiece piece, CancellationToken cancellationToken);

    /// <summary>Writes whatever closes the format (a Parquet footer) and flushes.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>Encoded bytes of some rows, in a pooled buffer that <see cref="Release"/> gives back once they are written.</summary>
internal sealed class EncodedPiece(byte[] buffer, int length, int rows, Action release)
{
    public ReadOnlyMemory<byte> Bytes => buffer.AsMemory(0, length);

    public int Rows => rows;

    public void Release() => release();
}
