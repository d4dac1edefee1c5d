namespace ArgoEtl.Etl.Csv;

/// <summary>How the CSV text is laid out. Immutable; RFC 4180 by default.</summary>
public sealed record CsvFormat
{
    public static readonly CsvFormat Default = new();

    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// Whether double quotes delimit fields (RFC 4180). The parser (Sep) supports only the double quote as the quote
    /// character, so the choice is between '"' and none.
    /// </summary>
    public bool Quoted { get; init; } = true;

    public bool HasHeader { get; init; } = true;

    /// <summary>
    /// Take a double quote inside an unquoted field (<c>Ki"m</c>) as an ordinary character. RFC 4180 forbids it, and
    /// by default it is an error (CsvBadQuote), because a parser that opens a quoted section there swallows the rest of
    /// the file. Quotes at the start of a field still quote it.
    /// </summary>
    public bool LenientQuotes { get; init; }
}
