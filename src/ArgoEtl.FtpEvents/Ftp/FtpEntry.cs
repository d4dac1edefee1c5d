namespace ArgoEtl.FtpEvents.Ftp;

/// <summary>One entry of a folder listing, with the facts the server gave (null when it gave none).</summary>
/// <param name="Name">The entry's name inside its folder (no slashes).</param>
/// <param name="Modified">The modification time in UTC.</param>
internal sealed record FtpEntry(string Name, FtpEntryType Type, long? Size, DateTimeOffset? Modified);
