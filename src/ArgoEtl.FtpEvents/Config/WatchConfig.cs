namespace ArgoEtl.FtpEvents.Config;

/// <summary>
/// One EventSource's settings, from the <c>config</c> bytes Argo Events sends when it opens a stream. Credentials are
/// deliberately absent: they come from the server's environment (<see cref="FtpCredentials"/>), never from a manifest.
/// </summary>
internal sealed record WatchConfig
{
    public required string Host { get; init; }

    public int Port { get; init; } = 21;

    /// <summary>The watched folder, absolute on the FTP server ("/" for the root).</summary>
    public string Dir { get; init; } = "/";

    public bool Recursive { get; init; }

    public IReadOnlyList<PathGlob> Include { get; init; } = [];

    public IReadOnlyList<PathGlob> Exclude { get; init; } = [];

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan StableFor { get; init; } = TimeSpan.FromSeconds(10);

    public bool Passive { get; init; } = true;

    public StartFrom StartFrom { get; init; } = StartFrom.Now;

    /// <summary>auto (the best the server offers), or one forced: mlsd, nlst (with SIZE/MDTM), list.</summary>
    public Ftp.ListingMethod Listing { get; init; }

    /// <summary>The checkpoint file; null keeps the sent set in memory only (every restart is then a first start).</summary>
    public string? Checkpoint { get; init; }

    /// <summary>ftp://host:port, the <c>server</c> of every payload.</summary>
    public string ServerUrl => Port == 21 ? $"ftp://{Host}" : FormattableString.Invariant($"ftp://{Host}:{Port}");

    /// <summary>Whether a file (its path relative to <see cref="Dir"/>) is watched: included (or no includes) and not excluded.</summary>
    public bool Selects(string relativePath) =>
        (Include.Count == 0 || Include.Any(g => g.IsMatch(relativePath))) && !Exclude.Any(g => g.IsMatch(relativePath));
}
