using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output.ParquetMetadata;
using ArgoEtl.Etl.Schema;
using Parquet;
using Parquet.Schema;

namespace ArgoEtl.Etl.Output;

/// <summary>
/// One Parquet row group per batch. Values go to Parquet.Net dense, with definition levels for nulls, straight from the
/// reused column buffers; strings go as slices of the column's char buffer, so no string objects are made (which, when
/// they were, cost a third of the time and most of the memory). Parquet.Net writes into a
/// <see cref="StatisticsCappingStream"/>, which caps string min/max statistics at <see cref="MaxStatisticsBytes"/>:
/// Parquet.Net 6.1 stores each chunk's full min and max four times (page header and footer, twice each), so one
/// 10 MB field made an 88 MB file. The same stream puts back in the footer what Parquet.Net is not asked for or
/// leaves out: the DATE and TIMESTAMP types of columns handed over as integers (<see cref="ParquetScratch"/>) and
/// dictionary page offsets.
/// </summary>
internal sealed class ParquetBatchWriter : IBatchWriter
{
    /// <summary>As parquet-mr's column index truncation: long enough to prune on, short enough not to matter.</summary>
    public const int MaxStatisticsBytes = 64;

    private readonly StatisticsCappingStream _output;
    private readonly ParquetLayout _layout;
    private ParquetWriter? _writer;
    private readonly ParquetScratch _scratch;

    public ParquetBatchWriter(Stream output, TableSchema schema, ParquetCompression compression)
        : this(output, new ParquetLayout(schema, compression))
    {
    }

    /// <param name="layout">The Parquet schema and options, built once by a caller that writes many files (one per row group).</param>
    /// <param name="scratch">Buffers for what is handed to Parquet.Net, kept by such a caller too.</param>
    public ParquetBatchWriter(Stream output, ParquetLayout layout, ParquetScratch? scratch = null)
    {
        _layout = layout;
        _scratch = scratch ?? new ParquetScratch();
        _output = new StatisticsCappingStream(output, MaxStatisticsBytes, layout.Annotations);
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        _writer ??= await ParquetWriter.CreateAsync(_layout.Schema, _output, _layout.Options, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var group = _writer.CreateRowGroup();
        for (int c = 0; c < batch.Columns.Length; c++)
        {
            var field = _layout.Fields[c];
            var column = batch.Columns[c];
            ReadOnlyMemory<int> levels = column.DefinitionLevels.AsMemory(0, batch.Count);
            switch (column)
            {
                case StringColumnBuffer s:
                    await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, Slices(s), levels, null, cancellationToken).ConfigureAwait(false);
                    break;
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

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        // An input with a header and no rows still produces a valid Parquet file with the schema and no row groups.
        _writer ??= await ParquetWriter.CreateAsync(_layout.Schema, _output, _layout.Options, cancellationToken: cancellationToken).ConfigureAwait(false);
        _output.BeginFooter();
        await _writer.DisposeAsync().ConfigureAwait(false);
        _writer = null;
        await _output.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            _output.Abandon();
            await _writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Each non-null value as a slice of the column's char buffer: Parquet.Net's native string form, so no string
    // objects are made. The buffer is not reused until the next batch, after this row group is written.
    private ReadOnlyMemory<ReadOnlyMemory<char>> Slices(StringColumnBuffer column)
    {
        var slices = _scratch.Slices(column.ValueCount);
        for (int i = 0; i < column.ValueCount; i++)
        {
            slices[i] = new ReadOnlyMemory<char>(column.Chars, column.Starts[i], column.Lengths[i]);
        }

        return slices.AsMemory(0, column.ValueCount);
    }
}

/// <summary>
/// What every part of one output shares: the Parquet schema, Parquet.Net's options with the per-column encoding hints,
/// and the logical types the footer rewrite puts back. Built once per encoder rather than once per row group.
/// </summary>
internal sealed class ParquetLayout
{
    public ParquetLayout(TableSchema schema, ParquetCompression compression)
    {
        Fields = schema.Columns.Select(ToField).ToArray();
        Schema = new ParquetSchema(Fields);
        Annotations = schema.Columns.Select(c => c.Type switch
        {
            ColumnType.Date => ColumnAnnotation.Date,
            ColumnType.Timestamp => ColumnAnnotation.TimestampMicrosUtc,
            _ => ColumnAnnotation.None,
        }).ToArray();
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
        //
        // Strings as a dictionary where a row group has few distinct values (cities, names, status words), as DuckDB,
        // Arrow and Spark write them: each distinct value is UTF-8-encoded, compared for statistics and compressed once,
        // and the rows are bit-packed indexes; on the wide benchmark file this is 12 % fewer instructions and a sixth
        // less Parquet. Parquet.Net dictionary-encodes only on this hint, and gives up where over 80 % of the values
        // differ. It judges that on the first 4096 values, so a column of ids or free text costs one small sample, not
        // a full hash of the row group.
        for (int i = 0; i < Fields.Length; i++)
        {
            EncodingHint? hint = schema.Columns[i].Type switch
            {
                ColumnType.Int32 or ColumnType.Int64 => EncodingHint.DeltaBinaryPacked,
                ColumnType.String => EncodingHint.Dictionary,
                _ => null,
            };

            if (hint is { } chosen)
            {
                Options.ColumnEncodingHints[Fields[i].Path.ToString()] = chosen;
            }
        }

        Options.DictionaryEncodingSampleSize = 4096;
    }

    public DataField[] Fields { get; }

    public ParquetSchema Schema { get; }

    public ParquetOptions Options { get; }

    public ColumnAnnotation[] Annotations { get; }

    private static DataField ToField(ColumnDefinition column) => column.Type switch
    {
        ColumnType.String => new DataField<string>(column.Name, true),
        ColumnType.Int32 => new DataField<int?>(column.Name),
        ColumnType.Int64 => new DataField<long?>(column.Name),
        ColumnType.Double => new DataField<double?>(column.Name),
        ColumnType.Boolean => new DataField<bool?>(column.Name),
        ColumnType.Date => new DataField<int?>(column.Name),
        ColumnType.Timestamp => new DataField<long?>(column.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };
}

/// <summary>
/// What is handed to Parquet.Net in place of a column's own values, reused from row group to row group (at a row
/// group's size each is a large object): string slices, and dates and timestamps as the integers Parquet stores.
/// Parquet.Net's own DateOnly and DateTime encoders write one value at a time through a new byte array each, a tenth
/// of a wide file's instructions; as INT32 days and INT64 microseconds since the epoch they take its bulk integer
/// path, and <see cref="ColumnAnnotation"/> gives the footer the same DATE and TIMESTAMP(UTC, MICROS) types back.
/// </summary>
internal sealed class ParquetScratch
{
    private static readonly int UnixEpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly long UnixEpochMicros = DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerMicrosecond;
    private ReadOnlyMemory<char>[] _slices = [];
    private int[] _days = [];
    private long[] _micros = [];

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

    /// <summary>Room for <paramref name="count"/> string slices.</summary>
    public ReadOnlyMemory<char>[] Slices(int count) => Room(ref _slices, count);

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
