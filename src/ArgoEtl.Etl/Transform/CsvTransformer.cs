using System.Collections.Concurrent;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Schema;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Converts one CSV stream to NDJSON or Parquet. The input is cut into chunks of whole records that workers (one per
/// core, up to four) parse and encode in parallel, and the calling thread writes the results in file order
/// (<see cref="ConversionPipeline"/>). With lenient quotes, which need a reader of the whole stream, one worker does it
/// all. Memory is bounded by the chunks in flight whatever the file size.
/// </summary>
public static class CsvTransformer
{
    private const int InferenceSampleBytes = 4 << 20;

    /// <param name="input">The CSV bytes; read once, front to back.</param>
    /// <param name="output">Where the converted data goes; written front to back, never seeked.</param>
    /// <param name="sourceName">How to name the input in errors (a path or URI).</param>
    /// <param name="rejects">Receives skipped rows under <see cref="BadRowMode.Skip"/>.</param>
    /// <param name="onRows">Called after each piece of output is written, with the running row count (for progress).</param>
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
        var format = options.Csv;

        // Chunks need quotes that pair up; lenient quotes are repaired by a reader of the whole stream, on one worker.
        bool chunked = !(format.Quoted && format.LenientQuotes);
        RecordChunker? chunker = null;
        SepReader? whole = null;
        CsvHeader? header;
        if (chunked)
        {
            chunker = new RecordChunker(input, format.Quoted);
            header = format.HasHeader ? ReadHeader(chunker, format, sourceName) : null;
        }
        else
        {
            whole = CsvReaderFactory.Open(input, format, sourceName, out header);
        }

        using var wholeReader = whole;
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

        bool parquet = options.Format == OutputFormat.Parquet;
        int rowGroupRows = Math.Max(1, options.RowGroupSize);
        var partStreams = new ConcurrentBag<MemoryStream>();
        Func<IRowEncoder> newEncoder = parquet
            ? () => new ParquetRowGroupEncoder(schema, fieldOf, rowGroupRows, format.Quoted, options.Compression, partStreams)
            : () => new NdjsonRowWriter(schema, fieldOf, format.Quoted, JsonPieceBytes);
        IOutputAssembler assembler = parquet ? new ParquetAssembler(output, schema, options.Compression) : new NdjsonAssembler(output);

        // A Parquet chunk is one row group's worth of records, so that row groups keep their size; an NDJSON chunk is
        // small, which keeps the memory in flight small.
        var sources = chunked
            ? Chunks(chunker!, format, parquet ? rowGroupRows : int.MaxValue, parquet ? MaxParquetChunkBytes : JsonChunkBytes)
 : [new ConversionPipeline.ReaderWork(_ => whole!, new LineMapping(0, format.HasHeader ? null : 1), () => { })];
        int workers = !chunked ? 1 : options.Threads > 0 ? options.Threads : Math.Clamp(Environment.ProcessorCount, 1, MaxWorkers);
        var loop = new RowLoop(schema, fieldOf, options, sourceName, keepRejects: rejects is not null);
        var totals = ConversionPipeline.Run(sources, workers, loop, newEncoder, assembler, fieldOf.Length, options, sourceName, rejects, onRows, cancellationToken);
        return new CsvTransformStats(totals.Rows, totals.Rejected, schema, inferred) { InferenceReport = report };
    }

    // An NDJSON chunk's lines (about twice its CSV) fit one piece, whose buffer the pool hands out at 1 MB.
    private const int JsonPieceBytes = (1 << 20) - (64 << 10);
    private const int JsonChunkBytes = 256 << 10;
    private const int MaxParquetChunkBytes = 8 << 20;

    // By default: beyond four, the writer thread and the memory of the chunks in flight, not the workers, set the pace.
    private const int MaxWorkers = 4;

    // The first record of the file, parsed on its own, is the header.
    private static CsvHeader? ReadHeader(RecordChunker chunker, CsvFormat format, string sourceName)
    {
        var first = chunker.Next(1, int.MaxValue);
        if (first is null)
        {
            return null;
        }

        try
        {
            using var text = new Utf8ChunkReader();
            using var reader = CsvReaderFactory.OpenChunk(first, format, text);
            return reader.MoveNext() ? CsvHeader.From(reader.Current, format, sourceName) : null;
        }
        finally
        {
            first.Release();
        }
    }

    private static IEnumerable<ConversionPipeline.ReaderWork> Chunks(RecordChunker chunker, CsvFormat format, int maxRecords, int maxBytes)
    {
        while (chunker.Next(maxRecords, maxBytes) is { } chunk)
        {
            yield return new ConversionPipeline.ReaderWork(text => CsvReaderFactory.OpenChunk(chunk, format, text), LineMapping.ForChunk(chunk), chunk.Release);
        }
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
}
