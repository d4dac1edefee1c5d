namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// The watches a session's log tailer or run watcher keeps open (one per namespace, plus what they start): started
/// under one token, stopped together. A namespace the session deploys to later gets its watch when it is named
/// (<see cref="WatchNamespaces"/>), once. A stop cancels them and waits at most a few seconds, so a stream the server
/// never closes cannot hold up the end of a session.
/// </summary>
internal sealed class SessionWatches
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly List<Task> _tasks = [];
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stop;
    private IProgress<Dev.DevEvent>? _progress;

    /// <summary>Starts a token for the watches to be added, canceled by <see cref="StopAsync"/> or by <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="InvalidOperationException">Started already and not stopped: a second start would leave the first watches running untracked.</exception>
    public void Start(IProgress<Dev.DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        lock (_gate)
        {
            if (_stop is not null)
            {
                throw new InvalidOperationException("These watches are running already; stop them before starting again.");
            }

            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _progress = progress;
        }
    }

    /// <summary>
    /// Starts <paramref name="watch"/> for each of <paramref name="namespaces"/> not watched yet, under the start's
    /// token, reporting to the start's progress; nothing when not started (or stopped).
    /// </summary>
    public void WatchNamespaces(IEnumerable<string> namespaces, Func<string, IProgress<Dev.DevEvent>, CancellationToken, Task> watch)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        ArgumentNullException.ThrowIfNull(watch);
        lock (_gate)
        {
            if (_stop is null || _progress is not { } progress)
            {
                return;
            }

            foreach (string ns in namespaces)
            {
                if (_namespaces.Add(ns))
                {
                    _tasks.Add(watch(ns, progress, _stop.Token));
                }
            }
        }
    }

    /// <summary>Cancels the watches and waits (bounded) for them and for <paramref name="alsoWaitFor"/>.</summary>
    public async Task StopAsync(IEnumerable<Task>? alsoWaitFor = null)
    {
        CancellationTokenSource stop;
        Task[] tasks;
        lock (_gate)
        {
            if (_stop is null)
            {
                return;
            }

            stop = _stop;
            tasks = [.. _tasks];
        }

        await stop.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll([.. tasks, .. alsoWaitFor ?? []]);
        await Task.WhenAny(all, Task.Delay(StopWait)).ConfigureAwait(false);
        lock (_gate)
        {
            _tasks.Clear();
            _namespaces.Clear();
            _stop = null;
            _progress = null;
        }

        stop.Dispose();
    }
}
