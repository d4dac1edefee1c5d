using ArgoEtl.Etl.Output.ParquetMetadata;
using ArgoEtl.Etl.Schema;

namespace ArgoEtl.Etl.Output;

/// <summary>Joins the row groups the workers encoded, in file order, into one Parquet file with one footer.</summary>
internal sealed class ParquetAssembler(Stream output, TableSchema schema, ParquetCompression compression) : IOutputAssembler
{
    private readonly ParquetPartStitcher _stitcher = new(output);
    private bool _any;

    public async ValueTask AppendAsync(EncodedPiece piece, CancellationToken cancellationToken)
    {
        await _stitcher.AppendAsync(piece.Bytes, cancellationToken).ConfigureAwait(false);
        _any = true;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (!_any)
        {
            // An input with a header and no rows still gives a valid Parquet file: the schema and no row groups.
            using var empty = new MemoryStream();
            ParquetRowGroupEncoder.WritePart(empty, new ParquetLayout(schema, compression), null);
            await _stitcher.AppendAsync(empty.GetBuffer().AsMemory(0, (int)empty.Length), cancellationToken).ConfigureAwait(false);
        }

        await _stitcher.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
