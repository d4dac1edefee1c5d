using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Transform;

/// <summary>A read-only stream that reads <c>first</c> to its end, then <c>second</c>.</summary>
internal sealed class ConcatenatedStream(Stream first, Stream second) : ForwardReadStream
{
    private bool _firstDone;

    public override int Read(Span<byte> buffer)
    {
        if (!_firstDone)
        {
            int n = first.Read(buffer);
            if (n > 0)
            {
                return n;
            }

            _firstDone = true;
        }

        return second.Read(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            first.Dispose();
        }

        base.Dispose(disposing);
    }
}
