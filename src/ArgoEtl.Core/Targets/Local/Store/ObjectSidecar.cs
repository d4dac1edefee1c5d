namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// What the store keeps beside an object's bytes (in <c>store-meta/</c>, never in the bucket folder users look at).
/// <see cref="Size"/> and <see cref="LastWriteTicks"/> are the file's when the sidecar was written: a file changed by
/// hand since then no longer matches, and its sidecar is recomputed rather than trusted.
/// </summary>
internal sealed record ObjectSidecar(
    string Key,
    long Size,
    long LastWriteTicks,
    string ETag,
    string ContentType,
    Dictionary<string, string> UserMetadata,
    Dictionary<string, string> Headers);
