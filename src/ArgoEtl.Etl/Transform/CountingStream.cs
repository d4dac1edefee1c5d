using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Counts bytes read through it, for progress and the result's BytesIn. A failed read becomes a coded error naming the
/// input here, so that any I/O error left further up is about the output.
/// </summary>
internal sealed class CountingStream(Stream inner, string sourceName) : ForwardReadStream
{
    private long _count;
    private bool _disposed;

    public long Count => Interlocked.Read(ref _count);

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = inner.Read(buffer);
        }
        catch (Exception ex) when (!_disposed && ex is IOException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
        {
            throw new EtlException(EtlErrors.InputReadFailed, EtlErrorKind.Connection,
                $"Reading '{sourceName}' failed after {Count} bytes: {UrlRedaction.Redact(ex.Message)}",
                "Check that the input is still reachable and was not truncated or replaced while it was read; run again.", sourceName, ex);
        }

        Interlocked.Add(ref _count, n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
