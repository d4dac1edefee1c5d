using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Csv;

/// <summary>
/// Turns a quoting error found in a row into an error naming the line and character column where it starts. A quote
/// error is always fatal, whatever the bad-row mode: once a quote opens where it should not, the row boundaries after
/// it are unknown, so no later row can be trusted.
/// </summary>
internal static class CsvQuoteErrors
{
    public const string Suggestion =
        "Quote the field and double the quotes inside it (\"Ki\"\"m\"), or pass --lenient-quotes (-LenientQuotes) to take a quote inside an unquoted field literally.";

    /// <summary>The error for the first malformed field of <paramref name="row"/>, or null when its quoting is valid.</summary>
    public static EtlException? Find(SepReader.Row row, string sourceName, int? line = null)
    {
        int fieldStart = 0;
        for (int c = 0; c < row.ColCount; c++)
        {
            var raw = row[c].Span;
            if (QuoteProblem.Find(raw) is { } problem)
            {
                return Create(problem, row.Span, fieldStart + problem.Offset, line ?? row.LineNumberFrom, c + 1, sourceName);
            }

            fieldStart += raw.Length + 1;
        }

        return null;
    }

    private static EtlException Create(QuoteProblem problem, ReadOnlySpan<char> rowText, int offset, int firstLine, int field, string sourceName)
    {
        var before = rowText[..Math.Min(offset, rowText.Length)];
        int line = firstLine + before.Count('\n');
        int lastBreak = before.LastIndexOf('\n');
        int column = offset - lastBreak;
        var error = problem.Kind == QuoteProblemKind.Unterminated ? EtlErrors.CsvUnterminatedQuote : EtlErrors.CsvBadQuote;
        return new EtlException(error,
            $"{sourceName} line {line}, column {column} (field {field}): {problem.Describe()}.",
            Suggestion, $"{sourceName}:{line}:{column}");
    }
}
