using ArgoEtl.Etl.Csv;

namespace ArgoEtl.Etl.Output;

/// <summary>Writes batches of parsed rows to an output stream in one format. Used by one thread at a time (a worker writing its part).</summary>
internal interface IBatchWriter : IAsyncDisposable
{
    ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken);

    /// <summary>Writes whatever closes the format (a Parquet footer) and flushes.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
