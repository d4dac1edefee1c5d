using System.Threading.Channels;
using ArgoEtl.Core.Dev;

namespace ArgoEtl.Tests.Dev;

/// <summary>A change feed the test pushes ChangeSets into, as if files had changed.</summary>
internal sealed class ScriptedChangeFeed : IChangeFeed
{
    private readonly Channel<ChangeSet> _changes = Channel.CreateUnbounded<ChangeSet>();

    public DevWatchList? Watching { get; private set; }

    public void Push(ChangeSet changes) => _changes.Writer.TryWrite(changes);

    public void Watch(DevWatchList watchList) => Watching = watchList;

    public async Task<ChangeSet> NextAsync(CancellationToken cancellationToken) => await _changes.Reader.ReadAsync(cancellationToken);

    public void Dispose()
    {
    }
}
