using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Transform;

/// <summary>Counts bytes read through it, for progress and the result's BytesIn.</summary>
internal sealed class CountingStream(Stream inner) : ForwardReadStream
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        Interlocked.Add(ref _count, n);
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
