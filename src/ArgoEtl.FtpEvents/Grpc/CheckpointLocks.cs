using System.Collections.Concurrent;

namespace ArgoEtl.FtpEvents.Grpc;

/// <summary>
/// One stream at a time per checkpoint file. When Argo reconnects, its new stream may arrive before this server has
/// seen the old one end; the new one waits for the old one's last write to the checkpoint instead of racing it.
/// </summary>
internal sealed class CheckpointLocks
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string? checkpoint, CancellationToken cancellationToken)
    {
        if (checkpoint is null)
        {
            return new Releaser(null);
        }

        var gate = _locks.GetOrAdd(checkpoint, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
