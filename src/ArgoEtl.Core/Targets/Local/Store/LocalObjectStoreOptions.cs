namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>How to start a <see cref="LocalObjectStore"/>.</summary>
/// <param name="StateDirectory">The local target's state folder: objects go to <c>buckets/</c> in it, the store's own
/// bookkeeping (metadata sidecars, temporary files, multipart uploads) to <c>store-*</c> folders beside it.</param>
public sealed record LocalObjectStoreOptions(string StateDirectory)
{
    /// <summary>The loopback port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The credentials clients must sign with; null generates a fresh pair.</summary>
    public ObjectStoreCredentials? Credentials { get; init; }

    /// <summary>The region the store reports and accepts in signatures (any region is accepted; this one is reported).</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>How long a file dropped into a bucket folder by hand must keep its size before it counts as a put.</summary>
    public TimeSpan StabilityWindow { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often the bucket folders are scanned in full, for changes the file watcher missed.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(2);
}
