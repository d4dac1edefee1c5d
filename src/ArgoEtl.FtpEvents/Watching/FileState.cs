namespace ArgoEtl.FtpEvents.Watching;

/// <summary>What identifies a version of a file: its size and modification time (UTC) as the server lists them.</summary>
internal readonly record struct FileState(long Size, DateTimeOffset Modified);
