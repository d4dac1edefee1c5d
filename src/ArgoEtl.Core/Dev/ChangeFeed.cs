using System.Threading.Channels;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// File changes under the profile's project folder and its artifacts' contexts (which may lie outside it), batched:
/// <see cref="NextAsync"/> returns once changes have been quiet for the debounce time. Build outputs (bin/, obj/),
/// .git/ and ArgoEtl's own temp files are not changes.
/// </summary>
internal sealed class ChangeFeed : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>();
    private static readonly string[] Ignored = ["/bin/", "/obj/", "/.git/"];

    public ChangeFeed(EtlProfile profile)
    {
        var roots = profile.Artifacts.Select(a => Path.GetFullPath(Path.Combine(profile.ProjectDirectory, a.Context)))
            .Append(profile.ProjectDirectory)
            .Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();

        // A folder inside another watched one is already covered.
        foreach (string root in roots.Where(r => !roots.Any(o => o != r && r.StartsWith(o + Path.DirectorySeparatorChar, StringComparison.Ordinal))))
        {
            var watcher = new FileSystemWatcher(root) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName };
            watcher.Changed += (_, e) => Add(e.FullPath);
            watcher.Created += (_, e) => Add(e.FullPath);
            watcher.Deleted += (_, e) => Add(e.FullPath);
            watcher.Renamed += (_, e) => Add(e.FullPath);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    public async Task<IReadOnlyList<string>> NextAsync(TimeSpan debounce, CancellationToken cancellationToken)
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

    private void Add(string path)
    {
        string normalized = path.Replace('\\', '/');
        if (!Ignored.Any(i => normalized.Contains(i, StringComparison.Ordinal)) && !Path.GetFileName(path).StartsWith(".argoetl-", StringComparison.Ordinal))
        {
            _changes.Writer.TryWrite(path);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }
}
