using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Converts one CSV stream to NDJSON or Parquet. Parsing runs on the calling thread and fills columnar batches; a
/// second thread encodes and writes each full batch while the next one is parsed, so on two cores both stay busy.
/// Memory is bounded by two batches whatever the file size.
/// </summary>
public static class CsvTransformer
{
    private const int JsonBatchRows = 16_384;
    private const int InferenceSampleBytes = 4 << 20;
    private const int MaxTextInError = 200;

    /// <param name="input">The CSV bytes; read once, front to back.</param>
    /// <param name="output">Where the converted data goes; written front to back, never seeked.</param>
    /// <param name="sourceName">How to name the input in errors (a path or URI).</param>
    /// <param name="rejects">Receives skipped rows under <see cref="BadRowMode.Skip"/>.</param>
    /// <param name="onRows">Called after each batch with the running row count (for progress).</param>
    public static CsvTransformStats Transform(Stream input, Stream output, TransformOptions options, string sourceName,
        IRejectSink? rejects = null, Action<long>? onRows = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);

        var schema = options.Schema;
        string? report = null;
        if (schema is null)
        {
            InferredSchema guess;
            (guess, input) = InferFromPrefix(input, options, sourceName);
            schema = guess.Schema;
            report = guess.Report();
        }

        bool inferred = report is not null;
        using var reader = CsvReaderFactory.Open(input, options.Csv, sourceName, out var header);
        var fieldOf = BindColumns(header, schema, sourceName);
        if (schema.Count == 0)
        {
            if (options.Format == OutputFormat.Parquet)
            {
                throw new EtlException(EtlErrors.CsvNoColumns, $"{sourceName} is empty: there are no columns to write to Parquet.",
                    "Pass a schema (-Schema 'name:type,...') to write an empty Parquet file with columns, or check the input.", sourceName);
            }

            return new CsvTransformStats(0, 0, schema, inferred) { InferenceReport = report };
        }

        int batchRows = options.Format == OutputFormat.Parquet ? Math.Max(1, options.RowGroupSize) : JsonBatchRows;
        var writer = CreateWriter(output, schema, options);
        try
        {
            var stats = Pump(reader, writer, schema, fieldOf, inferred, batchRows, options, sourceName, rejects, onRows, cancellationToken);
            writer.CompleteAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
            return stats with { InferenceReport = report };
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static CsvTransformStats Pump(SepReader reader, IBatchWriter writer, TableSchema schema, int[] fieldOf, bool inferred, int batchRows,
        TransformOptions options, string sourceName, IRejectSink? rejects, Action<long>? onRows, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var free = new BlockingCollection<RowBatch>(2);
        bool json = options.Format == OutputFormat.Json;
        bool quoted = options.Csv.Quoted;
        free.Add(new RowBatch(schema, batchRows, json, quoted), CancellationToken.None);
        free.Add(new RowBatch(schema, batchRows, json, quoted), CancellationToken.None);
        using var full = new BlockingCollection<RowBatch>(2);

        // The writer thread: encode each full batch, hand the buffer back. A failure stops the parser through `stop`.
        var writing = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var batch in full.GetConsumingEnumerable(stop.Token))
                {
                    writer.WriteAsync(batch, stop.Token).AsTask().GetAwaiter().GetResult();
                    batch.Clear();
                    free.Add(batch, stop.Token);
                }
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        long rows = 0;
        long rejected = 0;
        try
        {
            var batch = free.Take(stop.Token);
            var columns = batch.Columns;
            int width = fieldOf.Length;

            int blankLines = 0;
            int firstBlankLine = 0;
            foreach (var row in reader)
            {
                // Blank lines are only remembered here: at the end of the file (what Set-Content leaves) they are
                // skipped; followed by more rows they are bad rows like any other. One int test per row.
                if (blankLines > 0 && !(row.ColCount == 1 && row.Span.IsEmpty))
                {
                    rejected += RejectBlankLines(blankLines, firstBlankLine, width, options, sourceName, rejects);
                    blankLines = 0;
                }

                if (row.ColCount != width)
                {
                    if (row.ColCount == 1 && row.Span.IsEmpty)
                    {
                        firstBlankLine = blankLines++ == 0 ? row.LineNumberFrom : firstBlankLine;
                        continue;
                    }

                    // A stray quote swallows delimiters and line breaks, so the count is off: that is the error to report.
                    if (quoted && CsvQuoteErrors.Find(row, sourceName, FirstLine(row, options, rows + rejected)) is { } quoteError)
                    {
                        throw quoteError;
                    }

                    string reason = $"expected {width} fields, found {row.ColCount}";
                    if (options.BadRows == BadRowMode.Fail)
                    {
                        throw new EtlException(EtlErrors.CsvFieldCount, $"{sourceName} line {FirstLine(row, options, rows + rejected)}: {reason}.",
                            SuggestionForBadRow, $"{sourceName}:{FirstLine(row, options, rows + rejected)}");
                    }

                    rejects?.Reject(row.LineNumberFrom, null, reason, row.Span);
                    rejected++;
                    continue;
                }

                int r = batch.Count;
                int failed = -1;
                for (int c = 0; c < columns.Length; c++)
                {
                    if (!columns[c].TryAppend(row[fieldOf[c]].Span, r))
                    {
                        failed = c;
                        break;
                    }
                }

                if (failed >= 0)
                {
                    if (quoted && CsvQuoteErrors.Find(row, sourceName, FirstLine(row, options, rows + rejected)) is { } quoteError)
                    {
                        throw quoteError;
                    }

                    var column = schema.Columns[failed];
                    string text = Shorten(FieldText.ToText(row[fieldOf[failed]].Span));
                    string reason = ValueParser.WhyInvalid(column.Type, text, TableSchema.TypeName(column.Type));
                    if (options.BadRows == BadRowMode.Fail)
                    {
                        throw new EtlException(EtlErrors.CsvBadValue, $"{sourceName} line {FirstLine(row, options, rows + rejected)}, column {failed + 1} '{column.Name}': {reason}.",
                            SuggestionForBadRow, $"{sourceName}:{FirstLine(row, options, rows + rejected)}");
                    }

                    // Take back what the columns before the bad one appended for this row.
                    for (int c = 0; c < failed; c++)
                    {
                        columns[c].RemoveRow(r);
                    }

                    rejects?.Reject(row.LineNumberFrom, column.Name, reason, row.Span);
                    rejected++;
                    continue;
                }

                batch.Count++;
                rows++;
                if (batch.IsFull)
                {
                    full.Add(batch, stop.Token);
                    onRows?.Invoke(rows);
                    batch = free.Take(stop.Token);
                    columns = batch.Columns;
                }
            }

            if (batch.Count > 0)
            {
                full.Add(batch, stop.Token);
            }

            full.CompleteAdding();
            writing.GetAwaiter().GetResult();
            onRows?.Invoke(rows);
            return new CsvTransformStats(rows, rejected, schema, inferred);
        }
        catch (Exception ex)
        {
            stop.Cancel();
            try
            {
                writing.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // Observed below when it is the cause.
            }

            // If the writer failed first, the parser only saw the stop; the writer's exception explains the run.
            if (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested && writing.Exception?.InnerException is { } cause)
            {
                ExceptionDispatchInfo.Capture(cause).Throw();
            }

            throw;
        }
    }

    private const string SuggestionForBadRow =
        "Fix the row, change the column's type in the schema, or run with bad rows set to Skip to write such rows to a rejects file.";

    private static IBatchWriter CreateWriter(Stream output, TableSchema schema, TransformOptions options) => options.Format switch
    {
        OutputFormat.Parquet => new ParquetBatchWriter(output, schema, options.Compression),
        _ => new NdjsonBatchWriter(output, schema),
    };

    // Sep reports the very first row of a reader at its end line; without a header that row is line 1. Error paths only.
    private static int FirstLine(SepReader.Row row, TransformOptions options, long rowsBefore) =>
        !options.Csv.HasHeader && rowsBefore == 0 ? 1 : row.LineNumberFrom;

    // A blank line in the middle of the data: a row of one empty field where more were expected.
    private static int RejectBlankLines(int count, int firstLine, int width, TransformOptions options, string sourceName, IRejectSink? rejects)
    {
        string reason = $"a blank line where {width} fields were expected";
        if (options.BadRows == BadRowMode.Fail)
        {
            throw new EtlException(EtlErrors.CsvFieldCount, $"{sourceName} line {firstLine}: {reason}.",
                "Remove the blank line (blank lines are skipped only at the end of the file), or run with bad rows set to Skip.", $"{sourceName}:{firstLine}");
        }

        for (int i = 0; i < count; i++)
        {
            rejects?.Reject(firstLine + i, null, reason, []);
        }

        return count;
    }

    /// <summary>
    /// For each schema column, the index of its field in each row. With a header, schema columns bind by name (a schema
    /// in another order still reads the right fields); every header column must be in the schema and every schema
    /// column in the header. Without a header, by position.
    /// </summary>
    private static int[] BindColumns(CsvHeader? header, TableSchema schema, string sourceName)
    {
        if (header is null || header.IsEmpty)
        {
            return Enumerable.Range(0, schema.Count).ToArray();
        }

        var names = header.Names;
        string Listed() => string.Join(", ", names.Select(n => $"'{n}'"));
        var fieldOf = new int[schema.Count];
        var bound = new bool[names.Count];
        for (int c = 0; c < schema.Count; c++)
        {
            string name = schema.Columns[c].Name;
            int index = IndexOf(names, name, StringComparison.Ordinal);
            if (index < 0)
            {
                index = IndexOf(names, name, StringComparison.OrdinalIgnoreCase);
            }

            if (index < 0)
            {
                throw new EtlException(EtlErrors.CsvSchemaColumnMissing, $"{sourceName} line 1: the schema's column '{name}' is not in the header, which has {names.Count} columns: {Listed()}.",
                    "Name the schema's columns as the header does (or set no header if line 1 is data, to bind by position).", $"{sourceName}:1");
            }

            fieldOf[c] = index;
            bound[index] = true;
        }

        var unbound = names.Where((_, i) => !bound[i]).ToList();
        if (unbound.Count > 0)
        {
            throw new EtlException(EtlErrors.CsvHeaderMismatch, $"{sourceName} line 1: the header's column(s) {string.Join(", ", unbound.Select(n => $"'{n}'"))} are not in the schema ({schema}); the header has {Listed()}.",
                "Make the schema list every column of the file, or set no header if line 1 is data.", $"{sourceName}:1");
        }

        return fieldOf;
    }

    // Exact names first; a case-insensitive match only when exactly one header name matches.
    private static int IndexOf(IReadOnlyList<string> names, string name, StringComparison comparison)
    {
        int found = -1;
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, comparison))
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = i;
            }
        }

        return found;
    }

    // Inference needs to look at the first rows and then convert from the start; the input may be a network stream
    // that cannot seek, so the sample is read into memory and put back in front of the rest.
    private static (InferredSchema, Stream) InferFromPrefix(Stream input, TransformOptions options, string sourceName)
    {
        var prefix = new byte[InferenceSampleBytes];
        int filled = 0;
        int n;
        while (filled < prefix.Length && (n = input.Read(prefix, filled, prefix.Length - filled)) > 0)
        {
            filled += n;
        }

        bool complete = filled < prefix.Length;
        var schema = SchemaInference.Infer(prefix.AsMemory(0, filled), complete, options.Csv, options.InferenceSampleRows, sourceName);
        return (schema, new ConcatenatedStream(new MemoryStream(prefix, 0, filled, writable: false), input));
    }

    private static string Shorten(string text) => text.Length <= MaxTextInError ? text : string.Concat(text.AsSpan(0, MaxTextInError), "…");
}
