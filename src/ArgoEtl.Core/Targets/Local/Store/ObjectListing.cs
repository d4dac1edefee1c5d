namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>One page of a listing: keys and common prefixes in order, and where the next page starts.</summary>
internal sealed record ObjectListingPage(IReadOnlyList<string> Keys, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? Last);

/// <summary>
/// S3's listing rules over sorted keys: a prefix filter, keys after a marker (start-after, continuation token or v1
/// marker), and with a delimiter every key with the delimiter after the prefix rolled up into one common prefix that
/// counts once toward max-keys.
/// </summary>
internal static class ObjectListing
{
    public static ObjectListingPage Page(IReadOnlyList<string> sortedKeys, string prefix, string? delimiter, string? marker, int maxKeys)
    {
        var keys = new List<string>();
        var prefixes = new List<string>();
        string? last = null;
        foreach (string key in sortedKeys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (marker is not null && string.CompareOrdinal(key, marker) <= 0)
            {
                continue;
            }

            // A marker that is a common prefix resumes after every key it rolled up.
            if (marker is not null && delimiter is not null && marker.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(marker, StringComparison.Ordinal))
            {
                continue;
            }

            string? rolledUp = null;
            if (delimiter is not null)
            {
                int at = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                if (at >= 0)
                {
                    rolledUp = key[..(at + delimiter.Length)];
                }
            }

            if (rolledUp is not null && prefixes.Count > 0 && prefixes[^1] == rolledUp)
            {
                continue;
            }

            if (keys.Count + prefixes.Count >= maxKeys)
            {
                return new ObjectListingPage(keys, prefixes, IsTruncated: maxKeys > 0, last);
            }

            if (rolledUp is not null)
            {
                prefixes.Add(rolledUp);
                last = rolledUp;
            }
            else
            {
                keys.Add(key);
                last = key;
            }
        }

        return new ObjectListingPage(keys, prefixes, IsTruncated: false, last);
    }
}
