namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A minio event's <c>filter</c>: the keys a bucket notification fires for. MinIO turns prefix and suffix into one
/// wildcard pattern (<c>prefix*suffix</c>), so a key must hold both without them overlapping.
/// </summary>
public sealed record ObjectKeyFilter(string Bucket, string Prefix, string Suffix)
{
    public bool Matches(string bucket, string key)
    {
        if (!string.Equals(bucket, Bucket, StringComparison.Ordinal))
        {
            return false;
        }

        return key.Length >= Prefix.Length + Suffix.Length
            && key.StartsWith(Prefix, StringComparison.Ordinal)
            && key.EndsWith(Suffix, StringComparison.Ordinal);
    }

    /// <summary>
    /// The key to put a file under so that this filter fires: the prefix, the file name, and the suffix unless the
    /// name already ends with it (<c>input/</c> + <c>scores.csv</c> for prefix input/ and suffix .csv).
    /// </summary>
    public string KeyFor(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        string name = Path.GetFileName(fileName);
        string key = Prefix + name;
        return key.EndsWith(Suffix, StringComparison.Ordinal) && key.Length >= Prefix.Length + Suffix.Length ? key : key + Suffix;
    }
}
