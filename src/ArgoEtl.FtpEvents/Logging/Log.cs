namespace ArgoEtl.FtpEvents.Logging;

/// <summary>
/// Every log line the server writes, in one place: none takes a password, and the FTP login's user name is the
/// only account detail that appears. The "Listed" line is what operators (and the tests) read listing times from.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Watching {Server}{Dir} (recursive {Recursive}, poll {Poll}, stable for {Stable}); checkpoint {Checkpoint} with {Count} files{Baseline}")]
    public static partial void Watching(ILogger logger, string server, string dir, bool recursive, TimeSpan poll, TimeSpan stable, string checkpoint, int count, string baseline);

    [LoggerMessage(2, LogLevel.Information, "Connected to {Server} as {User}; listing with {Method}")]
    public static partial void Connected(ILogger logger, string server, string user, string method);

    [LoggerMessage(3, LogLevel.Warning, "FTP server {Server} unavailable ({Reason}); reconnecting in {Delay} (attempt {Attempt})")]
    public static partial void Unavailable(ILogger logger, string server, string reason, TimeSpan delay, int attempt);

    [LoggerMessage(4, LogLevel.Information, "Listed {Files} files in {Folders} folders in {Milliseconds} ms")]
    public static partial void Listed(ILogger logger, int files, int folders, double milliseconds);

    [LoggerMessage(5, LogLevel.Information, "Sent {Event} {Path} ({Size} bytes, modified {Modified})")]
    public static partial void Sent(ILogger logger, string @event, string path, long size, string modified);

    [LoggerMessage(6, LogLevel.Warning, "Skipped a LIST line in {Folder} that is neither Unix nor DOS format: {Line}")]
    public static partial void UnparsedLine(ILogger logger, string folder, string line);

    [LoggerMessage(7, LogLevel.Warning, "Folder {Folder} does not exist on {Server} (yet)")]
    public static partial void FolderMissing(ILogger logger, string folder, string server);

    [LoggerMessage(8, LogLevel.Warning, "Rejected the config of event {Event}: field {Field}: {Message}")]
    public static partial void ConfigRejected(ILogger logger, string @event, string field, string message);

    [LoggerMessage(9, LogLevel.Information, "Stream opened for event {Event} from {Peer}")]
    public static partial void StreamOpened(ILogger logger, string @event, string peer);

    [LoggerMessage(10, LogLevel.Information, "Stream for event {Event} ended ({Reason})")]
    public static partial void StreamEnded(ILogger logger, string @event, string reason);

    [LoggerMessage(11, LogLevel.Error, "Stream for event {Event} failed: {Code}: {Message}")]
    public static partial void StreamFailed(ILogger logger, string @event, string code, string message);
}
