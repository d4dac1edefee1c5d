using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Csv;

/// <summary>The names on line 1, unquoted, checked for quoting errors and for a name given twice.</summary>
internal sealed class CsvHeader
{
    private CsvHeader(IReadOnlyList<string> names) => Names = names;

    public IReadOnlyList<string> Names { get; }

    public int Count => Names.Count;

    /// <summary>A header of one empty field: an empty first line, not a header with one unnamed column.</summary>
    public bool IsEmpty => Names.Count == 1 && Names[0].Length == 0;

    public static CsvHeader From(SepReader.Row row, CsvFormat format, string sourceName)
    {
        if (format.Quoted && CsvQuoteErrors.Find(row, sourceName, 1) is { } quoteError)
        {
            throw quoteError;
        }

        var names = new string[row.ColCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < names.Length; c++)
        {
            names[c] = format.Quoted ? FieldText.ToText(row[c].Span) : row[c].Span.ToString();
            if (names[c].Length > 0 && !seen.TryAdd(names[c], c))
            {
                throw new EtlException(EtlErrors.CsvDuplicateHeader, $"{sourceName} line 1: the header names column '{names[c]}' twice (columns {seen[names[c]] + 1} and {c + 1}).",
                    "Give every column a distinct name in the header, or pass a schema and set no header if line 1 is data.", $"{sourceName}:1");
            }
        }

        return new CsvHeader(names);
    }
}
