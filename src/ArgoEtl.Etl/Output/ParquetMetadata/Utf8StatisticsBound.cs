namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// Short stand-ins for long string min/max statistics, compared as Parquet compares UTF-8: byte by byte, unsigned.
/// A prefix is a lower bound; an upper bound is a prefix whose last ASCII byte below 0x7F is raised by one (as
/// DuckDB and arrow-rs do; parquet-mr raises the last code point) — so it stays valid UTF-8 and sorts above every
/// string that starts with the original prefix.
/// </summary>
internal static class Utf8StatisticsBound
{
    /// <summary>The longest prefix of at most <paramref name="maxBytes"/> bytes that does not split a character.</summary>
    public static ReadOnlySpan<byte> LowerBound(ReadOnlySpan<byte> value, int maxBytes)
    {
        if (value.Length <= maxBytes)
        {
            return value;
        }

        int cut = maxBytes;
        while (cut > 0 && IsContinuation(value[cut]))
        {
            cut--;
        }

        return value[..cut];
    }

    /// <summary>
    /// A value of at most <paramref name="maxBytes"/> bytes that is greater than or equal to <paramref name="value"/>;
    /// false when the prefix has no byte that can be raised (it is all non-ASCII or 0x7F), and then there is no max.
    /// </summary>
    public static bool TryUpperBound(ReadOnlySpan<byte> value, int maxBytes, out byte[] bound)
    {
        if (value.Length <= maxBytes)
        {
            bound = value.ToArray();
            return true;
        }

        ReadOnlySpan<byte> prefix = LowerBound(value, maxBytes);
        for (int i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < 0x7F)
            {
                bound = prefix[..(i + 1)].ToArray();
                bound[i]++;
                return true;
            }
        }

        bound = [];
        return false;
    }

    private static bool IsContinuation(byte b) => (b & 0xC0) == 0x80;
}
