using System.Collections.Concurrent;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// Notices files put into (or removed from) the bucket folders by hand, not through the API. A new or changed file
/// counts once its size and write time have held for the stability window, so a copy in progress is not taken for a
/// put. A FileSystemWatcher says where to look; a periodic full scan catches what it misses (overflows, network file
/// systems). Files there at start, and the store's own writes (recorded in <see cref="ObjectFolders.KnownFiles"/>
/// before they appear), are not events.
/// </summary>
internal sealed class DroppedFileWatcher : IDisposable
{
    private readonly ObjectFolders _folders;
    private readonly TimeSpan _stabilityWindow;
    private readonly TimeSpan _scanInterval;
    private readonly Action<string, string> _onStable;
    private readonly Action<string, string> _onRemoved;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, Candidate> _candidates = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly FileSystemWatcher _watcher;
    private readonly Task _loop;

    /// <param name="onStable">(bucket, key) of a file that appeared or changed and is now stable.</param>
    /// <param name="onRemoved">(bucket, key) of a known object whose file was removed by hand.</param>
    public DroppedFileWatcher(ObjectFolders folders, TimeSpan stabilityWindow, TimeSpan scanInterval,
        Action<string, string> onStable, Action<string, string> onRemoved, Action<string> log)
    {
        _folders = folders;
        _stabilityWindow = stabilityWindow;
        _scanInterval = scanInterval;
        _onStable = onStable;
        _onRemoved = onRemoved;
        _log = log;
        foreach (string file in AllFiles())
        {
            try
            {
                _folders.KnownFiles[file] = FileStamp.Of(new FileInfo(file));
            }
            catch (IOException)
            {
                // Gone already; the scan will see it as it is.
            }
        }

        _watcher = new FileSystemWatcher(folders.BucketsRoot)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
            InternalBufferSize = 64 * 1024,
        };
        _watcher.Created += (_, e) => Touch(e.FullPath);
        _watcher.Changed += (_, e) => Touch(e.FullPath);
        _watcher.Renamed += (_, e) => Touch(e.FullPath);
        _watcher.Deleted += (_, e) => Touch(e.FullPath);
        _watcher.Error += (_, e) => _log("The bucket folder watcher lost events (" + e.GetException().Message + "); the periodic scan will catch up.");
        _watcher.EnableRaisingEvents = true;
        _loop = Task.Run(LoopAsync);
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _stop.Cancel();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private void Touch(string path)
    {
        if (Directory.Exists(path))
        {
            // A folder moved or copied in: its files are candidates too.
            foreach (string file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            {
                _candidates.TryAdd(file, new Candidate());
            }

            return;
        }

        _candidates.TryAdd(path, new Candidate());
    }

    private async Task LoopAsync()
    {
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(_stabilityWindow.TotalMilliseconds / 3, 20, 250));
        var lastScan = DateTime.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(tick, _stop.Token).ConfigureAwait(false);
            if (DateTime.UtcNow - lastScan >= _scanInterval)
            {
                Scan();
                lastScan = DateTime.UtcNow;
            }

            foreach (var (path, candidate) in _candidates)
            {
                try
                {
                    Check(path, candidate);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EtlException)
                {
                    _log($"Could not take the dropped file {path} into the store: {ex.Message}");
                    _candidates.TryRemove(path, out _);
                }
            }
        }
    }

    private void Check(string path, Candidate candidate)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            _candidates.TryRemove(path, out _);
            if (_folders.KnownFiles.TryRemove(path, out _) && _folders.ObjectOf(path) is { } gone)
            {
                _folders.ForgetSidecar(gone.Bucket, gone.Key);
                _onRemoved(gone.Bucket, gone.Key);
            }

            return;
        }

        var stamp = FileStamp.Of(file);
        if (_folders.KnownFiles.TryGetValue(path, out var known) && known == stamp)
        {
            _candidates.TryRemove(path, out _);
            return;
        }

        var now = DateTime.UtcNow;
        if (candidate.Stamp != stamp)
        {
            candidate.Stamp = stamp;
            candidate.Since = now;
            return;
        }

        if (now - candidate.Since < _stabilityWindow)
        {
            return;
        }

        _candidates.TryRemove(path, out _);
        if (_folders.ObjectOf(path) is { } dropped)
        {
            _onStable(dropped.Bucket, dropped.Key);
        }
    }

    private void Scan()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in AllFiles())
        {
            seen.Add(file);
            try
            {
                if (!_folders.KnownFiles.TryGetValue(file, out var known) || known != FileStamp.Of(new FileInfo(file)))
                {
                    _candidates.TryAdd(file, new Candidate());
                }
            }
            catch (IOException)
            {
                // Removed while scanning: the next pass sees it gone.
            }
        }

        foreach (string path in _folders.KnownFiles.Keys)
        {
            if (!seen.Contains(path))
            {
                _candidates.TryAdd(path, new Candidate());
            }
        }
    }

    private IEnumerable<string> AllFiles() =>
        Directory.EnumerateFiles(_folders.BucketsRoot, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .Where(f => _folders.ObjectOf(f) is not null);

    private sealed class Candidate
    {
        public FileStamp? Stamp { get; set; }

        public DateTime Since { get; set; }
    }
}
