using System.Diagnostics;
using System.Net.Sockets;
using ArgoEtl.FtpEvents.Config;
using ArgoEtl.FtpEvents.Ftp;
using ArgoEtl.FtpEvents.Logging;

namespace ArgoEtl.FtpEvents.Watching;

/// <summary>
/// Polls one folder (tree) of one FTP server and hands each file that is new or changed, once it has been stable for
/// <see cref="WatchConfig.StableFor"/>, to a sender; a file counts as sent only when the sender's task completed.
/// Each poll lists every folder exactly once. Losing the FTP server is not an error: it reconnects with backoff.
/// </summary>
internal sealed class FtpWatcher(WatchConfig config, ILogger logger, Func<FtpCredentials> credentials)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <param name="send">Delivers one event; its completion is what marks the file sent.</param>
    public async Task RunAsync(Func<FileEvent, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        using var checkpoint = Checkpoint.Load(config.Checkpoint);
        bool takeBaseline = !checkpoint.Existed && config.StartFrom == StartFrom.Now;
        Log.Watching(logger, config.ServerUrl, config.Dir, config.Recursive, config.PollInterval, config.StableFor, config.Checkpoint ?? "(memory only)", checkpoint.Count,
            takeBaseline ? "; files present now are taken as sent (startFrom now)" : string.Empty);

        // Candidates: a version of a file not yet sent, and since when (monotonic clock) it has looked the same.
        var candidates = new Dictionary<string, (FileState State, long Since)>(StringComparer.Ordinal);
        FtpConnection? connection = null;
        int failures = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Listing listing;
                try
                {
                    if (connection is null)
                    {
                        var login = credentials();
                        connection = await FtpConnection.OpenAsync(config.Host, config.Port, login.User, login.Password, config.Listing, cancellationToken).ConfigureAwait(false);
                        Log.Connected(logger, config.ServerUrl, login.User, connection.ListingName);
                    }

                    listing = await ListTreeAsync(connection, cancellationToken).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
                {
                    if (connection is not null)
                    {
                        await connection.DisposeAsync().ConfigureAwait(false);
                        connection = null;
                    }

                    failures++;
                    var delay = Backoff(failures);
                    Log.Unavailable(logger, config.ServerUrl, ex.Message, delay, failures);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Log.Listed(logger, listing.Files.Count, listing.Folders, listing.Elapsed.TotalMilliseconds);
                if (takeBaseline)
                {
                    foreach (var (path, state) in listing.Files)
                    {
                        checkpoint.MarkSent(path, state);
                    }

                    checkpoint.Compact(force: true);
                    takeBaseline = false;
                }
                else
                {
                    await ProcessAsync(listing, checkpoint, candidates, send, cancellationToken).ConfigureAwait(false);
                    checkpoint.Compact();
                }

                await Task.Delay(config.PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            checkpoint.Compact();
        }
    }

    private async Task ProcessAsync(Listing listing, Checkpoint checkpoint, Dictionary<string, (FileState State, long Since)> candidates,
        Func<FileEvent, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        long now = Stopwatch.GetTimestamp();
        foreach (var (path, state) in listing.Files)
        {
            bool known = checkpoint.TryGet(path, out var sent);
            if (known && sent == state)
            {
                candidates.Remove(path);
                continue;
            }

            // A new version (first sight, or it changed since the last poll) starts its stability clock afresh.
            if (!candidates.TryGetValue(path, out var candidate) || candidate.State != state)
            {
                candidate = (state, now);
                candidates[path] = candidate;
            }

            if (Stopwatch.GetElapsedTime(candidate.Since, now) < config.StableFor)
            {
                continue;
            }

            string absolute = config.Dir.TrimEnd('/') + "/" + path;
            await send(FileEvent.For(path, absolute, state, modified: known, config.ServerUrl), cancellationToken).ConfigureAwait(false);
            checkpoint.MarkSent(path, state);
            candidates.Remove(path);
            Log.Sent(logger, known ? FileEvent.ModifiedEvent : FileEvent.Created, absolute, state.Size, state.Modified.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (string gone in candidates.Keys.Where(p => !listing.Files.ContainsKey(p)).ToList())
        {
            candidates.Remove(gone);
        }

        // Forget deleted files only after a listing that saw every folder: a folder that failed to list is not empty.
        if (listing.Complete)
        {
            foreach (string gone in checkpoint.Paths.Where(p => !listing.Files.ContainsKey(p)).ToList())
            {
                checkpoint.Forget(gone);
            }
        }
    }

    private async Task<Listing> ListTreeAsync(FtpConnection connection, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var files = new Dictionary<string, FileState>(StringComparer.Ordinal);
        var folders = new Queue<string>();
        folders.Enqueue(string.Empty);
        int listed = 0;
        bool complete = true;
        while (folders.TryDequeue(out string? relative))
        {
            string absolute = relative.Length == 0 ? config.Dir : config.Dir.TrimEnd('/') + "/" + relative;
            var entries = await connection.ListAsync(absolute, line => Log.UnparsedLine(logger, absolute, line), cancellationToken).ConfigureAwait(false);
            listed++;
            if (entries is null)
            {
                Log.FolderMissing(logger, absolute, config.ServerUrl);
                complete = false;
                continue;
            }

            foreach (var entry in entries)
            {
                string path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (entry.Type == FtpEntryType.Directory && config.Recursive)
                {
                    folders.Enqueue(path);
                }
                else if (entry.Type == FtpEntryType.File && config.Selects(path))
                {
                    files[path] = new FileState(entry.Size ?? -1, entry.Modified ?? DateTimeOffset.MinValue);
                }
            }
        }

        return new Listing(files, listed, complete, Stopwatch.GetElapsedTime(started));
    }

    private static bool IsTransient(Exception ex) => ex is FtpTransientException or IOException or SocketException or TimeoutException
        || (ex is OperationCanceledException) || (ex is EtlException { Kind: EtlErrorKind.Connection });

    private static TimeSpan Backoff(int failures)
    {
        double seconds = Math.Min(MaxBackoff.TotalSeconds, 0.5 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    private sealed record Listing(Dictionary<string, FileState> Files, int Folders, bool Complete, TimeSpan Elapsed);
}
