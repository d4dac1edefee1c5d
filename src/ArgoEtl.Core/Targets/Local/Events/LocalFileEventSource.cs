using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A running file event: a watch on one folder (not its subfolders), as upstream's fsnotify listener
/// (sources/file/start.go). Each operation of the configured type on an entry whose relative path — the event's path
/// with the directory's text trimmed from its front, exactly as upstream trims it — equals <c>path</c> or matches
/// <c>pathRegexp</c> becomes <c>{"name": &lt;path&gt;, "op": "CREATE", "metadata": {...} or null}</c> (fsevent.Event;
/// its metadata is not omitempty). A rename reports RENAME for the old name and CREATE for the new one, as inotify
/// does. The folder must exist when the source starts, as upstream requires.
/// </summary>
public sealed class LocalFileEventSource : ILocalEventSource
{
    private readonly FileEventDefinition _definition;
    private readonly LocalEventSink _sink;
    private readonly LocalEventSourceOptions _options;
    private readonly Regex? _pathRegexp;
    private readonly Channel<(string Name, string Op)> _queue = Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private FileSystemWatcher? _watcher;
    private Task? _pump;

    public LocalFileEventSource(FileEventDefinition definition, LocalEventSink sink, LocalEventSourceOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _options = options ?? new LocalEventSourceOptions();
        _pathRegexp = string.IsNullOrEmpty(definition.PathRegexp) ? null : new Regex(definition.PathRegexp, RegexOptions.None, TimeSpan.FromSeconds(1));

        // Keep the directory's text as written (a trailing '/' matters to upstream's prefix trim), made absolute.
        string directory = definition.Directory;
        string full = Path.GetFullPath(Path.IsPathRooted(directory) ? directory : Path.Combine(_options.BaseDirectory, directory));
        bool trailing = directory.EndsWith('/') || directory.EndsWith(Path.DirectorySeparatorChar);
        WatchedDirectory = Path.TrimEndingDirectorySeparator(full);
        DirectoryPrefix = trailing ? WatchedDirectory + Path.DirectorySeparatorChar : WatchedDirectory;
    }

    public EventSourceDefinition Definition => _definition;

    /// <summary>The folder watched, absolute.</summary>
    public string WatchedDirectory { get; }

    /// <summary>The text trimmed from an event's path to match path/pathRegexp.</summary>
    public string DirectoryPrefix { get; }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_watcher is not null)
        {
            return Task.CompletedTask;
        }

        if (!Directory.Exists(WatchedDirectory))
        {
            throw new EtlException(EtlErrors.FileEventDirectoryMissing, $"{_definition.Where}: {_definition} watches {WatchedDirectory}, which does not exist (upstream cannot watch a missing folder either).",
                "Create the folder first, or point watchPathConfig.directory at an existing one.", WatchedDirectory);
        }

        var watcher = new FileSystemWatcher(WatchedDirectory)
        {
            IncludeSubdirectories = false,
            InternalBufferSize = 64 * 1024,
            NotifyFilter = _definition.EventType == "CHMOD"
                ? NotifyFilters.Attributes | NotifyFilters.Security
                : NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Created += (_, e) => Enqueue(e.FullPath, "CREATE");
        watcher.Deleted += (_, e) => Enqueue(e.FullPath, "REMOVE");
        watcher.Changed += (_, e) => Enqueue(e.FullPath, _definition.EventType == "CHMOD" ? "CHMOD" : "WRITE");
        watcher.Renamed += (_, e) =>
        {
            Enqueue(e.OldFullPath, "RENAME");
            Enqueue(e.FullPath, "CREATE");
        };
        watcher.Error += (_, e) => _options.Verbose?.Invoke($"{_definition}: the folder watch reported an error: {e.GetException().Message}");
        _pump = Task.Run(() => PumpAsync(_stop.Token), CancellationToken.None);
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _watcher, null) is { } watcher)
        {
            watcher.EnableRaisingEvents = false;
            watcher.Dispose();
        }

        _queue.Writer.TryComplete();
        if (_pump is { } pump)
        {
            await pump.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Enqueue(string name, string op)
    {
        if (op != _definition.EventType)
        {
            return;
        }

        string relative = name.StartsWith(DirectoryPrefix, StringComparison.Ordinal) ? name[DirectoryPrefix.Length..] : name;
        bool matched = (!string.IsNullOrEmpty(_definition.Path) && _definition.Path == relative) || (_pathRegexp?.IsMatch(relative) ?? false);
        if (matched)
        {
            _queue.Writer.TryWrite((name, op));
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        await foreach (var (name, op) in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            var data = new JsonObject { ["name"] = name, ["op"] = op, ["metadata"] = _definition.MetadataJson() };
            try
            {
                await _sink(new LocalEvent(_definition.NewContext(), data), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _options.Verbose?.Invoke($"{_definition}: the event for {name} was not dispatched: {ex.Message}");
            }
        }
    }
}
