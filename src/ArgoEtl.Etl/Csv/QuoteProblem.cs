namespace ArgoEtl.Etl.Csv;

/// <summary>How a field breaks RFC 4180's quoting rules.</summary>
internal enum QuoteProblemKind
{
    /// <summary>A quote inside a field that does not start with one (<c>Ki"m</c>).</summary>
    BareQuote,

    /// <summary>Text after a quoted field's closing quote (<c>"Kim"x</c>), or an undoubled quote inside it.</summary>
    TextAfterClosingQuote,

    /// <summary>A quoted field that the end of the file cut off.</summary>
    Unterminated,
}

/// <summary>A quoting error in one field: what it is and where in the field it starts.</summary>
internal readonly record struct QuoteProblem(QuoteProblemKind Kind, int Offset)
{
    /// <summary>
    /// The first quoting error in a raw field, or null. Only called off the hot path: when a field failed to append, or
    /// on a row already known to be bad, and once for the header.
    /// </summary>
    public static QuoteProblem? Find(ReadOnlySpan<char> raw)
    {
        if (raw.IsEmpty)
        {
            return null;
        }

        if (raw[0] != '"')
        {
            int bare = raw.IndexOf('"');
            return bare < 0 ? null : new QuoteProblem(QuoteProblemKind.BareQuote, bare);
        }

        for (int i = 1; i < raw.Length; i++)
        {
            if (raw[i] != '"')
            {
                continue;
            }

            if (i + 1 < raw.Length && raw[i + 1] == '"')
            {
                i++;
                continue;
            }

            return i == raw.Length - 1 ? null : new QuoteProblem(QuoteProblemKind.TextAfterClosingQuote, i + 1);
        }

        return new QuoteProblem(QuoteProblemKind.Unterminated, 0);
    }

    public string Describe() => Kind switch
    {
        QuoteProblemKind.BareQuote => "a double quote inside a field that is not quoted (RFC 4180 allows quotes only in a quoted field, doubled)",
        QuoteProblemKind.TextAfterClosingQuote => "text after the closing quote of a quoted field (a quote inside a quoted field must be doubled)",
        _ => "a quoted field that is never closed: the file ends inside it",
    };
}
