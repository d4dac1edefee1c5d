using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// The per-row checks and conversion for the rows of one reader (one chunk of the file, or all of it), on a worker
/// thread: the field count, each value through the encoder, quote errors, blank lines. What it finds goes out as
/// <see cref="ConvertedPiece"/>s in file order; it writes nothing itself, so that the rows, the rejects and the first
/// error of the whole file are put in order by one thread (<see cref="ConversionPipeline"/>).
/// </summary>
internal sealed class RowLoop(TableSchema schema, int[] fieldOf, TransformOptions options, string sourceName, bool keepRejects)
{
    private int Width => fieldOf.Length;

    /// <param name="lines">How the reader's line numbers map to the file's.</param>
    /// <param name="emit">Receives each piece: when the encoder is full, and one last piece at the end of the reader.</param>
    public void Run(SepReader reader, LineMapping lines, IRowEncoder encoder, Action<ConvertedPiece> emit, CancellationToken cancellationToken)
    {
        var piece = new ConvertedPiece();
        int blankLines = 0;
        int firstBlankLine = 0;
        bool firstRow = true;
        try
        {
            Convert(reader, lines, encoder, emit, ref piece, ref blankLines, ref firstBlankLine, ref firstRow, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rejects found before the error go out with it, in order; nothing after it is read.
            piece.Error = ex;
            piece.IsLast = true;
            emit(piece);
            return;
        }

        if (encoder.Count > 0)
        {
            piece.Encoded = encoder.TakeEncoded();
        }

        piece.IsLast = true;
        piece.TrailingBlankLines = blankLines;
        piece.FirstTrailingBlankLine = firstBlankLine;
        emit(piece);
    }

    private void Convert(SepReader reader, LineMapping lines, IRowEncoder encoder, Action<ConvertedPiece> emit, ref ConvertedPiece piece,
        ref int blankLines, ref int firstBlankLine, ref bool firstRow, CancellationToken cancellationToken)
    {
        bool quoted = options.Csv.Quoted;
        foreach (var row in reader)
        {
            int line = lines.LineOf(row, firstRow);
            firstRow = false;

            // Blank lines are only remembered here: at the end of the file (what Set-Content leaves) they are skipped;
            // followed by more rows they are bad rows like any other. One int test per row.
            bool blank = row.ColCount == 1 && row.Span.IsEmpty;
            if (blankLines > 0 && !blank)
            {
                RejectBlankLines(blankLines, firstBlankLine, Width, options, sourceName, piece.Rejects);
                piece.HasContent = true;
                blankLines = 0;
            }

            if (row.ColCount != Width)
            {
                if (blank)
                {
                    firstBlankLine = blankLines++ == 0 ? line : firstBlankLine;
                    continue;
                }

                piece.HasContent = true;

                // A stray quote swallows delimiters and line breaks, so the count is off: that is the error to report.
                if (quoted && CsvQuoteErrors.Find(row, sourceName, line) is { } quoteError)
                {
                    throw quoteError;
                }

                string reason = $"expected {Width} fields, found {row.ColCount}";
                if (options.BadRows == BadRowMode.Fail)
                {
                    throw new EtlException(EtlErrors.CsvFieldCount, $"{sourceName} line {line}: {reason}.", SuggestionForBadRow, $"{sourceName}:{line}");
                }

                piece.Rejects.Add(new RejectedRow(line, null, reason, keepRejects ? row.Span.ToString() : ""));
                continue;
            }

            piece.HasContent = true;
            int failed = encoder.TryAppend(row);
            if (failed >= 0)
            {
                if (quoted && CsvQuoteErrors.Find(row, sourceName, line) is { } quoteError)
                {
                    throw quoteError;
                }

                var column = schema.Columns[failed];
                string text = Shorten(FieldText.ToText(row[fieldOf[failed]].Span));
                string reason = ValueParser.WhyInvalid(column.Type, text, TableSchema.TypeName(column.Type));
                if (options.BadRows == BadRowMode.Fail)
                {
                    throw new EtlException(EtlErrors.CsvBadValue, $"{sourceName} line {line}, column {failed + 1} '{column.Name}': {reason}.",
                        SuggestionForBadRow, $"{sourceName}:{line}");
                }

                piece.Rejects.Add(new RejectedRow(line, column.Name, reason, keepRejects ? row.Span.ToString() : ""));
                continue;
            }

            if (encoder.IsFull)
            {
                piece.Encoded = encoder.TakeEncoded();
                emit(piece);
                cancellationToken.ThrowIfCancellationRequested();
                piece = new ConvertedPiece();
            }
        }
    }

    public const string SuggestionForBadRow =
        "Fix the row, change the column's type in the schema, or run with bad rows set to Skip to write such rows to a rejects file.";

    /// <summary>
    /// Blank lines in the middle of the data: rows of one empty field where more were expected. Under Fail, the error
    /// names the first of them; under Skip each becomes a reject.
    /// </summary>
    public static void RejectBlankLines(int count, int firstLine, int width, TransformOptions options, string sourceName, List<RejectedRow> rejects)
    {
        string reason = $"a blank line where {width} fields were expected";
        if (options.BadRows == BadRowMode.Fail)
        {
            throw new EtlException(EtlErrors.CsvFieldCount, $"{sourceName} line {firstLine}: {reason}.",
                "Remove the blank line (blank lines are skipped only at the end of the file), or run with bad rows set to Skip.", $"{sourceName}:{firstLine}");
        }

        for (int i = 0; i < count; i++)
        {
            rejects.Add(new RejectedRow(firstLine + i, null, reason, ""));
        }
    }

    private const int MaxTextInError = 200;

    private static string Shorten(string text) => text.Length <= MaxTextInError ? text : string.Concat(text.AsSpan(0, MaxTextInError), "…");
}

/// <summary>
/// How a reader's line numbers map to the file's. A reader over a chunk numbers its lines from 1, so the chunk's first
/// line is added; and Sep reports the very first row of a reader at the line where it ends, so that row gets the
/// chunk's first line instead (a reader of the whole file after a header has no such row).
/// </summary>
internal readonly record struct LineMapping(int Offset, int? FirstRowLine)
{
    public static LineMapping ForChunk(RecordChunk chunk) => new(chunk.FirstLine - 1, chunk.FirstLine);

    public int LineOf(SepReader.Row row, bool firstRow) => firstRow && FirstRowLine is { } first ? first : row.LineNumberFrom + Offset;
}

/// <summary>A rejected row as the reject sink takes it; the row's text only when a sink keeps it.</summary>
internal sealed record RejectedRow(long Line, string? Column, string Reason, string RowText);

/// <summary>What a worker hands on for some consecutive rows of the file: their encoding, their rejects, or the error that stopped it.</summary>
internal sealed class ConvertedPiece
{
    public EncodedPiece? Encoded { get; set; }

    public List<RejectedRow> Rejects { get; } = [];

    /// <summary>Anything but blank lines: rows, rejects or an error. Blank lines before such a piece were in the middle of the data.</summary>
    public bool HasContent { get; set; }

    public Exception? Error { get; set; }

    /// <summary>The reader's last piece; it carries the blank lines the reader ended with, which only what follows can judge.</summary>
    public bool IsLast { get; set; }

    public int TrailingBlankLines { get; set; }

    public int FirstTrailingBlankLine { get; set; }
}
