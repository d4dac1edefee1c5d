namespace ArgoEtl.Etl.Output;

/// <summary>NDJSON pieces are whole lines: the file is their concatenation.</summary>
internal sealed class NdjsonAssembler(Stream output) : IOutputAssembler
{
    public async ValueTask AppendAsync(EncodedPiece piece, CancellationToken cancellationToken) =>
        await output.WriteAsync(piece.Bytes, cancellationToken).ConfigureAwait(false);

    public async ValueTask CompleteAsync(CancellationToken cancellationToken) =>
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
}
