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
/// 10 MB field made an 88 MB file.
/// </summary>
internal sealed class ParquetBatchWriter : IBatchWriter
{
    /// <summary>As parquet-mr's column index truncation: long enough to prune on, short enough not to matter.</summary>
    public const int MaxStatisticsBytes = 64;

    private readonly StatisticsCappingStream _output;
    private readonly ParquetSchema _schema;
    private readonly DataField[] _fields;
    private readonly ParquetOptions _options;
    private ParquetWriter? _writer;
    private readonly StringSlices _strings;

    /// <param name="strings">Scratch for the string slices, kept by a caller that writes many files (one per row group).</param>
    public ParquetBatchWriter(Stream output, TableSchema schema, ParquetCompression compression, StringSlices? strings = null)
    {
        _strings = strings ?? new StringSlices();
        _output = new StatisticsCappingStream(output, MaxStatisticsBytes);
        _fields = schema.Columns.Select(ToField).ToArray();
        _schema = new ParquetSchema(_fields);
        _options = new ParquetOptions
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
        foreach (var field in _fields.Where(f => f.ClrType == typeof(int) || f.ClrType == typeof(long)))
        {
            _options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.DeltaBinaryPacked;
        }

        // Strings as a dictionary where a row group has few distinct values (cities, names, status words), as DuckDB,
        // Arrow and Spark write them: each distinct value is UTF-8-encoded, compared for statistics and compressed once,
        // and the rows are bit-packed indexes; on the wide benchmark file this is 12 % fewer instructions and a sixth
        // less Parquet. Parquet.Net dictionary-encodes only on this hint (its ClrType for strings is
        // ReadOnlyMemory<char>) and gives up where over 80 % of the values differ. It judges that on the first 4096
        // values, so a column of ids or free text costs one small sample, not a full hash of the row group.
        foreach (var field in _fields.Where(f => f.ClrType == typeof(ReadOnlyMemory<char>)))
        {
            _options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }

        _options.DictionaryEncodingSampleSize = 4096;
    }

    public async ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        _writer ??= await ParquetWriter.CreateAsync(_schema, _output, _options, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var group = _writer.CreateRowGroup();
        for (int c = 0; c < batch.Columns.Length; c++)
        {
            var field = _fields[c];
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
                    await group.WriteAllPartsAsync<DateOnly>(field, v.Values.AsMemory(0, v.ValueCount), levels, null, cancellationToken).ConfigureAwait(false);
                    break;
                case ValueColumnBuffer<DateTime> v:
                    await group.WriteAllPartsAsync<DateTime>(field, v.Values.AsMemory(0, v.ValueCount), levels, null, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new InvalidOperationException($"No Parquet mapping for column '{field.Name}'.");
            }
        }
    }

    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        // An input with a header and no rows still produces a valid Parquet file with the schema and no row groups.
        _writer ??= await ParquetWriter.CreateAsync(_schema, _output, _options, cancellationToken: cancellationToken).ConfigureAwait(false);
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

    private static DataField ToField(ColumnDefinition column) => column.Type switch
    {
        ColumnType.String => new DataField<string>(column.Name, true),
        ColumnType.Int32 => new DataField<int?>(column.Name),
        ColumnType.Int64 => new DataField<long?>(column.Name),
        ColumnType.Double => new DataField<double?>(column.Name),
        ColumnType.Boolean => new DataField<bool?>(column.Name),
        ColumnType.Date => new DataField<DateOnly?>(column.Name),
        ColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    // Each non-null value as a slice of the column's char buffer: Parquet.Net's native string form, so no string
    // objects are made. The buffer is not reused until the next batch, after this row group is written.
    private ReadOnlyMemory<ReadOnlyMemory<char>> Slices(StringColumnBuffer column)
    {
        var slices = _strings.Room(column.ValueCount);
        for (int i = 0; i < column.ValueCount; i++)
        {
            slices[i] = new ReadOnlyMemory<char>(column.Chars, column.Starts[i], column.Lengths[i]);
        }

        return slices.AsMemory(0, column.ValueCount);
    }
}

/// <summary>The array of string slices handed to Parquet.Net, reused: at a row group's size it is a large object.</summary>
internal sealed class StringSlices
{
    private ReadOnlyMemory<char>[] _slices = [];

    public ReadOnlyMemory<char>[] Room(int count)
    {
        if (_slices.Length < count)
        {
            _slices = new ReadOnlyMemory<char>[Math.Max(count, _slices.Length * 2)];
        }

        return _slices;
    }
}
