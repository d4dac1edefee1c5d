namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// An object as the store answers for it: its bytes are the file at <see cref="Path"/>, the rest comes from the
/// metadata sidecar (or, for a file put there by hand, from the file itself). <see cref="ETag"/> is unquoted.
/// </summary>
internal sealed record StoredObject(
    string Bucket,
    string Key,
    string Path,
    long Size,
    DateTimeOffset LastModified,
    string ETag,
    string ContentType,
    IReadOnlyDictionary<string, string> UserMetadata,
    IReadOnlyDictionary<string, string> Headers);
