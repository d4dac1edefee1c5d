namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// The watches a session's log tailer or run watcher keeps open (one per namespace, plus what they start): started
/// under one token, stopped together. A stop cancels them and waits at most a few seconds, so a stream the server
/// never closes cannot hold up the end of a session.
/// </summary>
internal sealed class SessionWatches
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
    private readonly List<Task> _tasks = [];
    private CancellationTokenSource? _stop;

    /// <summary>A token for the watches about to be added, canceled by <see cref="StopAsync"/> or by <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="InvalidOperationException">Started already and not stopped: a second start would leave the first watches running untracked.</exception>
    public CancellationToken Start(CancellationToken cancellationToken)
    {
        if (_stop is not null)
        {
            throw new InvalidOperationException("These watches are running already; stop them before starting again.");
        }

        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return _stop.Token;
    }

    public void Add(Task watch) => _tasks.Add(watch);

    /// <summary>Cancels the watches and waits (bounded) for them and for <paramref name="alsoWaitFor"/>.</summary>
    public async Task StopAsync(IEnumerable<Task>? alsoWaitFor = null)
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll([.. _tasks, .. alsoWaitFor ?? []]);
        await Task.WhenAny(all, Task.Delay(StopWait)).ConfigureAwait(false);
        _tasks.Clear();
        _stop.Dispose();
        _stop = null;
    }
}
