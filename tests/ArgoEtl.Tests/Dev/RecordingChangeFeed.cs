using ArgoEtl.Core.Dev;

namespace ArgoEtl.Tests.Dev;

/// <summary>Puts a real or scripted change feed on the bench: each change it hands out starts a new cycle, and the bench knows when the loop waits.</summary>
internal sealed class RecordingChangeFeed(IChangeFeed inner, TestBench bench) : IChangeFeed
{
    public List<DevWatchList> WatchLists { get; } = [];

    public void Watch(DevWatchList watchList)
    {
        lock (WatchLists)
        {
            WatchLists.Add(watchList);
        }

        inner.Watch(watchList);
    }

    public async Task<ChangeSet> NextAsync(CancellationToken cancellationToken)
    {
        bench.EnterWaiting();
        var changes = await inner.NextAsync(cancellationToken);
        bench.EnterNewCycle();
        return changes;
    }

    public void Dispose() => inner.Dispose();
}
