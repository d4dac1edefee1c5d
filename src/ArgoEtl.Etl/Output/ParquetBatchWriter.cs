using System.Buffers;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output.ParquetEncoding;
using ArgoEtl.Etl.Output.ParquetMetadata;
using ArgoEtl.Etl.Schema;
using Parquet;
using Parquet.Schema;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// Writes a Parquet file one row group per batch. Each row group's numbers, booleans, dates and timestamps are encoded
/// by Parquet.Net, from the reused column buffers, into a standalone file in memory whose pages and column chunks are
/// moved into this one (<see cref="FooterOffsetMover"/>); its strings are encoded here (<see cref="StringChunkEncoder"/>),
/// straight from the column's char buffer. The footer is the one Parquet.Net writes for the whole schema
/// (<see cref="ParquetLayout.FooterTemplate"/>) with this file's row groups in it, so readers see the types
/// Parquet.Net gives strings, dates and timestamps.
/// Why strings are not Parquet.Net's: its string path made a fifth of the narrow benchmark's instructions (a count,
/// an encode and two compares per value in UTF-16, and a byte array per length), and it stores each chunk's full min
/// and max four times, so one 10 MB field made an 88 MB file; here statistics are capped at
/// <see cref="MaxStatisticsBytes"/> and stored once.
/// </summary>
internal sealed class ParquetBatchWriter : IBatchWriter
{
    /// <summary>As parquet-mr's column index truncation: long enough to prune on, short enough not to matter.</summary>
    public const int MaxStatisticsBytes = 64;

    private readonly Stream _output;
    private readonly ParquetLayout _layout;
    private readonly ParquetScratch _scratch;
    private readonly bool _ownsScratch;

    // The RowGroup structs written so far, one after another: the footer's row_groups without their list header.
    private readonly ArrayBufferWriter<byte> _rowGroups = new();
    private int _rowGroupCount;
    private long _rows;
    private long _position;

    public ParquetBatchWriter(Stream output, TableSchema schema, ParquetCompression compression)
        : this(output, new ParquetLayout(schema, compression))
    {
    }

    /// <param name="layout">The Parquet schema and options, built once by a caller that writes many files (one per row group).</param>
    /// <param name="scratch">Buffers and encoders, kept by such a caller too.</param>
    public ParquetBatchWriter(Stream output, ParquetLayout layout, ParquetScratch? scratch = null)
    {
        _output = output;
        _layout = layout;
        _ownsScratch = scratch is null;
        _scratch = scratch ?? new ParquetScratch(layout);
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var pages = _scratch.Pages;
        pages.ResetWrittenCount();
        var chunks = _scratch.Chunks;
        foreach (var chunk in chunks)
        {
            chunk.ResetWrittenCount();
        }

        // Chunks go into the file in schema order, as every writer puts them: Parquet.Net's are copied one by one
        // between the string chunks encoded here.
        long totalByteSize = 0;
        ReadOnlyMemory<byte> parquetNet = default;
        Range parquetNetFooter = default;
        if (_layout.ParquetNetSchema is { } parquetNetSchema)
        {
            (parquetNet, parquetNetFooter, totalByteSize) = await WriteParquetNetColumnsAsync(parquetNetSchema, batch, cancellationToken).ConfigureAwait(false);
        }

        int next = 0;
        for (int c = 0; c < batch.Columns.Length; c++)
        {
            long chunkStart = _position + pages.WrittenCount;
            if (batch.Columns[c] is StringColumnBuffer strings)
            {
                totalByteSize += _scratch.Strings.Encode(strings, batch.Count, _layout.Utf8Names[c], chunkStart, pages, chunks[c]);
                continue;
            }

            var (structRange, pagesRange) = _scratch.ParquetNetChunks[next++];
            var mover = _scratch.Movers[c];
            mover.Shift = chunkStart - pagesRange.Start.Value;
            mover.PagesEnd = parquetNetFooter.Start.Value;
            int pos = 0;
            mover.CopyColumnChunk(parquetNet.Span[parquetNetFooter][structRange], ref pos, 3);
            pages.Write(parquetNet.Span[pagesRange]);
        }

        // RowGroup: 1 columns, in schema order; 2 total_byte_size; 3 num_rows.
        short last = 0;
        WriteFieldHeader(_rowGroups, List, 1, ref last);
        WriteListHeader(_rowGroups, chunks.Length, Struct);
        foreach (var chunk in chunks)
        {
            _rowGroups.Write(chunk.WrittenSpan);
        }

        WriteIntegerField(_rowGroups, I64, 2, totalByteSize, ref last);
        WriteIntegerField(_rowGroups, I64, 3, batch.Count, ref last);
        WriteByte(_rowGroups, FieldStop);

        await _output.WriteAsync(pages.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _position += pages.WrittenCount;
        _rows += batch.Count;
        _rowGroupCount++;
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        // An input with a header and no rows still produces a valid Parquet file with the schema and no row groups.
        await StartAsync(cancellationToken).ConfigureAwait(false);
        var footer = new ArrayBufferWriter<byte>(_rowGroups.WrittenCount + _layout.FooterTemplate.Length + 16);
        FooterTemplate.Write(_layout.FooterTemplate, _rows, _rowGroupCount, _rowGroups.WrittenSpan, footer);
        ParquetFrame.EndFooter(footer);
        await _output.WriteAsync(footer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        _position += footer.WrittenCount;
    }

    // Nothing is held open between calls: a writer given up on leaves a file without a footer, which its caller drops.
    // Scratch buffers a caller lent are the caller's to dispose.
    public ValueTask DisposeAsync()
    {
        if (_ownsScratch)
        {
            _scratch.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (_position == 0)
        {
            await _output.WriteAsync(ParquetFrame.Magic, cancellationToken).ConfigureAwait(false);
            _position = ParquetFrame.MagicLength;
        }
    }

    // Parquet.Net writes the row group's other columns as a file of their own in memory; returns that file, where its
    // footer is and its chunks' total_byte_size, with where each column chunk's struct and pages are in _scratch.
    private async ValueTask<(ReadOnlyMemory<byte> File, Range Footer, long TotalByteSize)> WriteParquetNetColumnsAsync(ParquetSchema schema, RowBatch batch, CancellationToken cancellationToken)
    {
        var file = _scratch.ParquetNetFile;
        file.SetLength(0);
        await using (var writer = await ParquetWriter.CreateAsync(schema, file, _layout.Options, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            for (int i = 0; i < _layout.ParquetNetColumns.Length; i++)
            {
                var field = _layout.ParquetNetFields[i];
                var column = batch.Columns[_layout.ParquetNetColumns[i]];
                ReadOnlyMemory<int> levels = column.DefinitionLevels.AsMemory(0, batch.Count);
                switch (column)
                {
                    case ValueColumnBuffer<int> v:
                        await group.WriteAllPartsAsync<int>(field, v.Values.AsMemory(0, v.ValueCount), levels, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case ValueColumnBuffer<long> v:
                        await group.WriteAllPartsAsync<long>(field, v.Values.AsMemory(0, v.ValueCount), levels, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case ValueColumnBuffer<double> v:
                        await group.WriteAllPartsAsync<double>(field, v.Values.AsMemory(0, v.ValueCount), levels, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case ValueColumnBuffer<bool> v:
                        await group.WriteAllPartsAsync<bool>(field, v.Values.AsMemory(0, v.ValueCount), levels, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case ValueColumnBuffer<DateOnly> v:
                        await group.WriteAllPartsAsync<int>(field, _scratch.UnixDays(v.Values.AsSpan(0, v.ValueCount)), levels, null, cancellationToken).ConfigureAwait(false);
                        break;
                    case ValueColumnBuffer<DateTime> v:
                        await group.WriteAllPartsAsync<long>(field, _scratch.UnixMicros(v.Values.AsSpan(0, v.ValueCount)), levels, null, cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        throw new InvalidOperationException($"No Parquet mapping for column '{field.Name}'.");
                }
            }
        }

        var written = file.GetBuffer().AsMemory(0, (int)file.Length);
        Range footer = ParquetFrame.FindFooter(written.Span, "Parquet.Net's file");
        long totalByteSize = FindColumnChunks(written.Span[footer], footer.Start.Value);
        return (written, footer, totalByteSize);
    }

    // FileMetaData 4 row_groups, its one RowGroup: 1 columns. Each ColumnChunk's struct is recorded, with its pages:
    // from its dictionary page (if any) or data page, total_compressed_size long, which Parquet.Net writes chunk after
    // chunk from byte 4 to the footer. Returns the sum of their total_uncompressed_size, the row group's
    // total_byte_size as parquet.thrift defines it (Parquet.Net's own sums compressed sizes).
    private long FindColumnChunks(ReadOnlySpan<byte> footer, int pagesEnd)
    {
        long totalByteSize = 0;
        int chunks = 0;
        long expectedStart = ParquetFrame.MagicLength;
        int pos = 0;
        short lastId = 0;
        while (NextField(footer, ref pos, ref lastId, "Parquet.Net footer", out byte type, out short id))
        {
            if (id != 4 || type != List)
            {
                SkipOrThrow(footer, ref pos, type);
                continue;
            }

            if (!TryReadListHeader(footer, ref pos, out int groups, out _) || groups != 1)
            {
                throw Malformed($"Parquet.Net wrote {groups} row groups where one was asked for");
            }

            short lastInGroup = 0;
            while (NextField(footer, ref pos, ref lastInGroup, "Parquet.Net row group", out byte groupType, out short groupId))
            {
                if (groupId == 1 && groupType == List)
                {
                    if (!TryReadListHeader(footer, ref pos, out chunks, out _) || chunks != _layout.ParquetNetColumns.Length)
                    {
                        throw Malformed("Parquet.Net's row group has another number of columns than its schema");
                    }

                    for (int i = 0; i < chunks; i++)
                    {
                        int structStart = pos;
                        var (pagesStart, pagesLength, uncompressed) = ChunkPages(footer, ref pos);
                        totalByteSize += uncompressed;
                        if (pagesStart != expectedStart)
                        {
                            throw Malformed($"Parquet.Net's column chunk {i + 1} starts at {pagesStart}, not right after the one before ({expectedStart})");
                        }

                        expectedStart = pagesStart + pagesLength;
                        _scratch.ParquetNetChunks[i] = (structStart..pos, (int)pagesStart..(int)expectedStart);
                    }
                }
                else
                {
                    SkipOrThrow(footer, ref pos, groupType);
                }
            }
        }

        if (chunks != _layout.ParquetNetColumns.Length || expectedStart != pagesEnd)
        {
            throw Malformed("Parquet.Net's column chunks do not fill its file's pages");
        }

        return totalByteSize;
    }

    // ColumnChunk 3 meta_data: 6 total_uncompressed_size, 7 total_compressed_size, 9 data_page_offset,
    // 11 dictionary_page_offset.
    private static (long Start, long Length, long Uncompressed) ChunkPages(ReadOnlySpan<byte> footer, ref int pos)
    {
        long uncompressed = -1;
        long length = -1;
        long dataPage = -1;
        long? dictionaryPage = null;
        short lastInChunk = 0;
        while (NextField(footer, ref pos, ref lastInChunk, "Parquet.Net column chunk", out byte type, out short id))
        {
            if (id != 3 || type != Struct)
            {
                SkipOrThrow(footer, ref pos, type);
                continue;
            }

            short lastInMeta = 0;
            while (NextField(footer, ref pos, ref lastInMeta, "Parquet.Net column metadata", out byte metaType, out short metaId))
            {
                switch (metaId)
                {
                    case 6 when metaType == I64:
                        uncompressed = ReadInteger(footer, ref pos);
                        break;
                    case 7 when metaType == I64:
                        length = ReadInteger(footer, ref pos);
                        break;
                    case 9 when metaType == I64:
                        dataPage = ReadInteger(footer, ref pos);
                        break;
                    case 11 when metaType == I64:
                        dictionaryPage = ReadInteger(footer, ref pos);
                        break;
                    default:
                        SkipOrThrow(footer, ref pos, metaType);
                        break;
                }
            }
        }

        return length >= 0 && uncompressed >= 0 && dataPage >= 0 ? (dictionaryPage ?? dataPage, length, uncompressed) : throw Malformed("a Parquet.Net column chunk without its offset or sizes");
    }

    private static void SkipOrThrow(ReadOnlySpan<byte> data, ref int pos, byte type)
    {
        if (!TrySkipValue(data, ref pos, type, 1))
        {
            throw Malformed("truncated Parquet.Net footer");
        }
    }
}

/// <summary>
/// What every part of one output shares: which columns Parquet.Net encodes, its schema and options for them, and the
/// footer Parquet.Net writes for the whole schema, from which every part's footer is made. Built once per encoder
/// rather than once per row group.
/// </summary>
internal sealed class ParquetLayout
{
    public ParquetLayout(TableSchema schema, ParquetCompression compression)
    {
        Compression = compression;
        Utf8Names = schema.Columns.Select(c => System.Text.Encoding.UTF8.GetBytes(c.Name)).ToArray();
        ParquetNetColumns = Enumerable.Range(0, schema.Columns.Count).Where(c => schema.Columns[c].Type != ColumnType.String).ToArray();
        ParquetNetFields = ParquetNetColumns.Select(c => EncodedField(schema.Columns[c])).ToArray();
        ParquetNetSchema = ParquetNetFields.Length > 0 ? new ParquetSchema(ParquetNetFields) : null;
        Options = new ParquetOptions
        {
            CompressionMethod = compression switch
            {
                ParquetCompression.Snappy => CompressionMethod.Snappy,
                ParquetCompression.Zstd => CompressionMethod.Zstd,
                ParquetCompression.Gzip => CompressionMethod.Gzip,
                _ => CompressionMethod.None,
            },

            // Parquet.Net defaults to SmallestSize, which for Zstd means level 22: many times slower for a few percent.
            CompressionLevel = System.IO.Compression.CompressionLevel.Optimal,
        };

        // Integers as DELTA_BINARY_PACKED: ids and counters (the usual integer columns of a CSV export) shrink to a few
        // bits per value, so Snappy, the largest single cost of the writer, has a third less to compress on the narrow
        // benchmark file (120 MB -> 76 MB of Parquet), and small-range integers shrink as well. Every Parquet reader
        // in use (DuckDB, Arrow, Spark, Parquet.Net) reads it; Parquet.Net 4 wrote integers this way by default.
        // Not dates and timestamps, though they go over as integers: Parquet.Net 6.1 cannot read DELTA_BINARY_PACKED
        // into a DateOnly or DateTime.
        for (int i = 0; i < ParquetNetColumns.Length; i++)
        {
            if (schema.Columns[ParquetNetColumns[i]].Type is ColumnType.Int32 or ColumnType.Int64)
            {
                Options.ColumnEncodingHints[ParquetNetFields[i].Path.ToString()] = EncodingHint.DeltaBinaryPacked;
            }
        }

        FooterTemplate = ReferenceFooter(schema);
    }

    public ParquetCompression Compression { get; }

    /// <summary>Each column's name as its chunks' path_in_schema holds it.</summary>
    public byte[][] Utf8Names { get; }

    /// <summary>The columns Parquet.Net encodes (all but strings), as indexes into the schema, in order.</summary>
    public int[] ParquetNetColumns { get; }

    public DataField[] ParquetNetFields { get; }

    /// <summary>Null when every column is a string.</summary>
    public ParquetSchema? ParquetNetSchema { get; }

    public ParquetOptions Options { get; }

    /// <summary>
    /// The footer (FileMetaData) of an empty file Parquet.Net writes for the schema with each column's own type:
    /// strings as UTF8, dates as DATE, timestamps as TIMESTAMP(UTC, MICROS), with column_orders added
    /// (<see cref="ParquetMetadata.FooterTemplate.WithTypeDefinedOrders"/>). Parts' footers are this one with their
    /// rows and row groups, so the schema is exactly what Parquet.Net would write, though Parquet.Net is handed dates
    /// and timestamps as integers and no strings at all.
    /// </summary>
    public byte[] FooterTemplate { get; }

    // What Parquet.Net is given: dates and timestamps as the integers Parquet stores (see ParquetScratch).
    private static DataField EncodedField(ColumnDefinition column) => column.Type switch
    {
        ColumnType.Int32 or ColumnType.Date => new DataField<int?>(column.Name),
        ColumnType.Int64 or ColumnType.Timestamp => new DataField<long?>(column.Name),
        ColumnType.Double => new DataField<double?>(column.Name),
        ColumnType.Boolean => new DataField<bool?>(column.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private static DataField DeclaredField(ColumnDefinition column) => column.Type switch
    {
        ColumnType.String => new DataField<string>(column.Name, true),
        ColumnType.Date => new DataField<DateOnly?>(column.Name),
        ColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        _ => EncodedField(column),
    };

    private static byte[] ReferenceFooter(TableSchema schema)
    {
        using var file = new MemoryStream();
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(schema.Columns.Select(DeclaredField).ToArray()), file).GetAwaiter().GetResult();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        ReadOnlySpan<byte> written = file.GetBuffer().AsSpan(0, (int)file.Length);
        return ParquetMetadata.FooterTemplate.WithTypeDefinedOrders(written[ParquetFrame.FindFooter(written, "Parquet.Net's empty file")], schema.Columns.Count);
    }
}

/// <summary>
/// What one worker reuses from row group to row group (at a row group's size each buffer is a large object): the
/// pages and column chunks of the row group being written, Parquet.Net's file for its columns, the string encoder,
/// and dates and timestamps as the integers Parquet stores. Parquet.Net's own DateOnly and DateTime encoders write one
/// value at a time through a new byte array each, a tenth of a wide file's instructions; as INT32 days and INT64
/// microseconds since the epoch they take its bulk integer path, and the footer keeps the DATE and TIMESTAMP types
/// (<see cref="ParquetLayout.FooterTemplate"/>).
/// </summary>
internal sealed class ParquetScratch : IDisposable
{
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly long UnixEpochMicros = DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMicrosecond;
    private int[] _days = [];
    private long[] _micros = [];

    public ParquetScratch(ParquetLayout layout)
    {
        Chunks = layout.Utf8Names.Select(_ => new ArrayBufferWriter<byte>()).ToArray();
        Movers = Chunks.Select(chunk => new FooterOffsetMover(chunk)).ToArray();
        ParquetNetChunks = new (Range, Range)[layout.ParquetNetColumns.Length];
        Strings = new StringChunkEncoder(layout.Compression, ParquetBatchWriter.MaxStatisticsBytes);
    }

    /// <summary>The pages of the row group being written.</summary>
    public ArrayBufferWriter<byte> Pages { get; } = new();

    /// <summary>Each column's ColumnChunk struct for the row group being written.</summary>
    public ArrayBufferWriter<byte>[] Chunks { get; }

    /// <summary>Per column, what moves Parquet.Net's ColumnChunk into <see cref="Chunks"/>.</summary>
    public FooterOffsetMover[] Movers { get; }

    /// <summary>Where Parquet.Net writes its columns of the row group.</summary>
    public MemoryStream ParquetNetFile { get; } = new();

    /// <summary>Per Parquet.Net column, its ColumnChunk struct in the footer and its pages in the file.</summary>
    public (Range Struct, Range Pages)[] ParquetNetChunks { get; }

    public StringChunkEncoder Strings { get; }

    public void Dispose()
    {
        Strings.Dispose();
        ParquetNetFile.Dispose();
    }

    /// <summary>Days since 1970-01-01; valid until the next call.</summary>
    public ReadOnlyMemory<int> UnixDays(ReadOnlySpan<DateOnly> dates)
    {
        var days = Room(ref _days, dates.Length);
        for (int i = 0; i < dates.Length; i++)
        {
            days[i] = dates[i].DayNumber - UnixEpochDay;
        }

        return days.AsMemory(0, dates.Length);
    }

    /// <summary>Microseconds since 1970-01-01T00:00Z of UTC times; valid until the next call.</summary>
    public ReadOnlyMemory<long> UnixMicros(ReadOnlySpan<DateTime> utc)
    {
        var micros = Room(ref _micros, utc.Length);
        for (int i = 0; i < utc.Length; i++)
        {
            micros[i] = (utc[i].Ticks / TimeSpan.TicksPerMicrosecond) - UnixEpochMicros;
        }

        return micros.AsMemory(0, utc.Length);
    }

    // Grows by doubling, so a row group a little larger than the last does not allocate again.
    private static T[] Room<T>(ref T[] buffer, int count)
    {
        if (buffer.Length < count)
        {
            buffer = new T[Math.Max(count, buffer.Length * 2)];
        }

        return buffer;
    }
}
