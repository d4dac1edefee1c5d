using System.Threading.Channels;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// File changes under the project folder and every dependency's folder (artifact contexts may lie outside the
/// project), batched: a batch ends once changes have been quiet for the debounce time, then it is sorted by the watch
/// list. Build outputs (bin/, obj/), .git/, ArgoEtl's state folder (.argoetl/) and its temp files are not changes.
/// </summary>
public sealed class FileSystemChangeFeed(TimeSpan debounce) : IChangeFeed
{
    private static readonly string[] Ignored = ["/bin/", "/obj/", "/.git/", "/.argoetl/"];
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>();
    private readonly Lock _gate = new();
    private List<FileSystemWatcher> _watchers = [];
    private IReadOnlyList<string> _roots = [];
    private DevWatchList? _watchList;

    public FileSystemChangeFeed()
        : this(TimeSpan.FromMilliseconds(500))
    {
    }

    public void Watch(DevWatchList watchList)
    {
        ArgumentNullException.ThrowIfNull(watchList);
        var roots = watchList.Roots();
        lock (_gate)
        {
            _watchList = watchList;
            if (roots.SequenceEqual(_roots, StringComparer.Ordinal))
            {
                return;
            }

            // New watchers first, so nothing written while switching is lost (a duplicate event is harmless).
            var previous = _watchers;
            _watchers = [.. roots.Select(Start)];
            _roots = roots;
            foreach (var watcher in previous)
            {
                watcher.Dispose();
            }
        }
    }

    public async Task<ChangeSet> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await NextBatchAsync(cancellationToken).ConfigureAwait(false);
            DevWatchList list;
            lock (_gate)
            {
                list = _watchList ?? throw new InvalidOperationException("Watch must be called before NextAsync.");
            }

            var changes = list.Classify(batch);
            if (!changes.IsEmpty)
            {
                return changes;
            }
        }
    }

    private async Task<IReadOnlyList<string>> NextBatchAsync(CancellationToken cancellationToken)
    {
        var batch = new SortedSet<string>(StringComparer.Ordinal) { await _changes.Reader.ReadAsync(cancellationToken).ConfigureAwait(false) };
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            quiet.CancelAfter(debounce);
            try
            {
                batch.Add(await _changes.Reader.ReadAsync(quiet.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return [.. batch];
            }
        }
    }

    private FileSystemWatcher Start(string root)
    {
        var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName };
        watcher.Changed += (_, e) => Add(e.FullPath);
        watcher.Created += (_, e) => Add(e.FullPath);
        watcher.Deleted += (_, e) => Add(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Add(e.OldFullPath); // an editor's save-by-rename changes the old name too
            Add(e.FullPath);
        };
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void Add(string path)
    {
        // With a trailing '/', the folder itself ("ctx/obj" created by the first build) is ignored as well as what is in it.
        string normalized = path.Replace('\\', '/') + "/";
        if (!Ignored.Any(i => normalized.Contains(i, StringComparison.Ordinal)) && !Path.GetFileName(path).StartsWith(".argoetl-", StringComparison.Ordinal))
        {
            _changes.Writer.TryWrite(path);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Dispose();
            }

            _watchers = [];
            _roots = [];
        }
    }
}
