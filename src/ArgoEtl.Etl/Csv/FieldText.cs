namespace ArgoEtl.Etl.Csv;

/// <summary>
/// Helpers on a raw CSV field. We read fields raw (not unescaped by the parser) so that an empty unquoted field (null)
/// can be told from a quoted empty one (""), as DuckDB does, and so unquoted fields cost nothing extra.
/// </summary>
internal static class FieldText
{
    public static bool IsQuoted(ReadOnlySpan<char> raw) => raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"';

    /// <summary>
    /// Removes the surrounding quotes and turns each doubled quote into one. Returns the number of chars written, or -1
    /// when a quote inside is not doubled (<c>"a"b"</c>): the field is not valid RFC 4180 and must not be guessed at.
    /// The check costs nothing extra: this loop looks at every quote anyway.
    /// </summary>
    public static int Unescape(ReadOnlySpan<char> raw, Span<char> destination)
    {
        var inner = raw[1..^1];
        int w = 0;
        for (int i = 0; i < inner.Length; i++)
        {
            char c = inner[i];
            destination[w++] = c;
            if (c == '"')
            {
                if (i + 1 >= inner.Length || inner[i + 1] != '"')
                {
                    return -1;
                }

                i++;
            }
        }

        return w;
    }

    /// <summary>The field's value as text (for error messages and schema inference); a malformed quoted field as it is.</summary>
    public static string ToText(ReadOnlySpan<char> raw)
    {
        if (!IsQuoted(raw))
        {
            return raw.ToString();
        }

        var buffer = raw.Length <= 512 ? stackalloc char[raw.Length] : new char[raw.Length];
        int n = Unescape(raw, buffer);
        return n < 0 ? raw.ToString() : buffer[..n].ToString();
    }
}
