using System.Buffers;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetMetadata;

/// <summary>
/// Re-encodes the page headers and the footer that Parquet.Net 6.1 writes, with string min/max statistics longer
/// than a cap replaced by short bounds (<see cref="Utf8StatisticsBound"/>) and flagged inexact. Parquet.Net copies
/// every string column chunk's full min and max into its page header and its footer entry, each twice (the deprecated
/// min/max and min_value/max_value), and has no option to cap or skip them; a 10 MB field made an 88 MB file.
/// A dictionary-encoded chunk also gets the dictionary_page_offset Parquet.Net leaves out, and a column written as
/// plain INT32/INT64 gets the DATE or TIMESTAMP annotation its <see cref="ColumnAnnotation"/> asks for.
/// Everything else is copied field by field. Headers shrink, so each header's change in length is recorded and the
/// footer's offsets and sizes are moved by the headers before them.
/// Field ids are those of parquet.thrift (PageHeader, DataPageHeader(V2), Statistics, FileMetaData, RowGroup,
/// ColumnChunk, ColumnMetaData).
/// </summary>
internal sealed class ParquetStatisticsRewriter
{
    private enum Kind
    {
        Other,
        PageHeader,
        DataPageHeader,
        DataPageHeaderV2,
        Statistics,
        FileMetaData,
        RowGroup,
        ColumnChunk,
        ColumnMetaData,
        SchemaElement,
    }

    private readonly int _maxBytes;
    private readonly IReadOnlyList<ColumnAnnotation> _annotations;
    private int _schemaElement; // index in FileMetaData.schema of the element being copied; 0 is the root

    // Old start of every re-encoded page header (ascending, as written) and the total change in length up to and
    // including it: a position p moves by the total of the headers that start before p.
    private readonly List<long> _headerStarts = [];
    private readonly List<long> _totalDeltas = [];

    // Parquet.Net 6.1 points data_page_offset at a chunk's dictionary page and leaves dictionary_page_offset unset,
    // where parquet.thrift has data_page_offset at the first data page and the dictionary page at its own offset.
    // Each dictionary page's old start, with the old start of the data page after it, so the footer can say both.
    private readonly Dictionary<long, long> _dataPageAfterDictionary = [];

    private int _compressedPageSize;
    private int _pageType;
    private long _rowGroupDelta;

    /// <param name="annotations">Per leaf column, in schema order (a flat schema), the logical type to write; none
    /// means every column's schema element is copied as it is.</param>
    public ParquetStatisticsRewriter(int maxBytes, IReadOnlyList<ColumnAnnotation>? annotations = null)
    {
        _maxBytes = maxBytes;
        _annotations = annotations ?? [];
    }

    /// <summary>
    /// Re-encodes one complete page header that started at <paramref name="oldStart"/> in Parquet.Net's output;
    /// returns the page's compressed size, the number of data bytes that follow the header.
    /// </summary>
    public int RewritePageHeader(ReadOnlySpan<byte> header, long oldStart, ArrayBufferWriter<byte> output)
    {
        int before = output.WrittenCount;
        int pos = 0;
        _compressedPageSize = -1;
        _pageType = -1;
        CopyStruct(header, ref pos, output, Kind.PageHeader, 0);
        if (pos != header.Length || _compressedPageSize < 0)
        {
            throw Malformed("page header");
        }

        if (_pageType == DictionaryPage)
        {
            _dataPageAfterDictionary[oldStart] = oldStart + header.Length + _compressedPageSize;
        }

        long delta = output.WrittenCount - before - header.Length;
        if (delta != 0)
        {
            _headerStarts.Add(oldStart);
            _totalDeltas.Add((_totalDeltas.Count == 0 ? 0 : _totalDeltas[^1]) + delta);
        }

        return _compressedPageSize;
    }

    /// <summary>Re-encodes the footer (FileMetaData) with offsets and sizes moved to where the pages now are.</summary>
    public void RewriteFooter(ReadOnlySpan<byte> footer, ArrayBufferWriter<byte> output)
    {
        int pos = 0;
        CopyStruct(footer, ref pos, output, Kind.FileMetaData, 0);
        if (pos != footer.Length)
        {
            throw Malformed("footer length");
        }
    }

    /// <summary>How far a position in Parquet.Net's output has moved.</summary>
    public long Shift(long oldPosition)
    {
        int index = _headerStarts.BinarySearch(oldPosition);
        int before = index >= 0 ? index : ~index; // headers that start strictly before the position
        return before == 0 ? 0 : _totalDeltas[before - 1];
    }

    private void CopyStruct(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> output, Kind kind, int depth)
    {
        if (kind == Kind.Statistics)
        {
            CopyStatistics(data, ref pos, output, depth);
            return;
        }

        // Element 0 is the schema's root; element i + 1 is leaf column i.
        if (kind == Kind.SchemaElement && _schemaElement - 1 is int column && column >= 0 && column < _annotations.Count && _annotations[column] != ColumnAnnotation.None)
        {
            CopyAnnotated(data, ref pos, output, _annotations[column], depth);
            return;
        }

        long chunkDelta = 0;
        bool dictionaryOffsetMissing = false;
        if (kind == Kind.ColumnMetaData)
        {
            chunkDelta = ChunkDelta(data, pos, out dictionaryOffsetMissing);
        }

        bool columnsSeen = false;
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            if (!NextField(data, ref pos, ref lastIn, "struct", out byte type, out short id))
            {
                WriteByte(output, FieldStop);
                return;
            }

            WriteFieldHeader(output, type, id, ref lastOut);
            Kind child = ChildKind(kind, id);
            if (child != Kind.Other && type == Struct)
            {
                CopyStruct(data, ref pos, output, child, depth + 1);
            }
            else if (child != Kind.Other && type == List)
            {
                if (kind == Kind.RowGroup)
                {
                    _rowGroupDelta = 0;
                    columnsSeen = true;
                }

                CopyStructList(data, ref pos, output, child, depth + 1);
            }
            else if (type is I32 or I64 && Role(kind, id) is var role && role != FieldRole.None)
            {
                long value = ReadInteger(data, ref pos);
                switch (role)
                {
                    case FieldRole.DataPageOffset when dictionaryOffsetMissing && _dataPageAfterDictionary.TryGetValue(value, out long dataPage):
                        // data_page_offset becomes the data page's, and the dictionary page's start is written as
                        // field 11 right after it: Parquet.Net writes no field 10, so the ids still ascend.
                        WriteInteger(output, dataPage + Shift(dataPage));
                        WriteFieldHeader(output, I64, DictionaryPageOffsetField, ref lastOut);
                        value += Shift(value);
                        break;
                    case FieldRole.Offset or FieldRole.DataPageOffset:
                        value += Shift(value);
                        break;
                    case FieldRole.PageType:
                        _pageType = (int)value;
                        break;
                    case FieldRole.ChunkSize:
                        value += chunkDelta;
                        break;
                    case FieldRole.RowGroupSize:
                        value += columnsSeen ? _rowGroupDelta : throw Malformed("row group sizes before its columns");
                        break;
                    case FieldRole.CompressedPageSize:
                        _compressedPageSize = value is >= 0 and <= int.MaxValue ? (int)value : throw Malformed("page size");
                        break;
                }

                WriteInteger(output, value);
            }
            else
            {
                CopyValue(data, ref pos, output, type, depth + 1);
            }
        }
    }

    private void CopyStructList(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> output, Kind elementKind, int depth)
    {
        if (!TryReadListHeader(data, ref pos, out int count, out byte elementType))
        {
            throw Malformed("truncated list");
        }

        WriteListHeader(output, count, elementType);
        for (int i = 0; i < count; i++)
        {
            if (elementKind == Kind.SchemaElement)
            {
                _schemaElement = i;
            }

            if (elementType == Struct)
            {
                CopyStruct(data, ref pos, output, elementKind, depth);
            }
            else
            {
                CopyElement(data, ref pos, output, elementType, depth);
            }
        }
    }

    // Statistics: 1 max, 2 min (deprecated, signed order), 3 null_count, 4 distinct_count, 5 max_value, 6 min_value,
    // 7 is_max_value_exact, 8 is_min_value_exact.
    private void CopyStatistics(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> output, int depth)
    {
        Span<(short Id, byte Type, int Start, int End)> fields = stackalloc (short, byte, int, int)[16];
        int count = 0;
        int min = -1;
        int max = -1;
        short lastIn = 0;
        while (true)
        {
            if (!NextField(data, ref pos, ref lastIn, "statistics", out byte type, out short id))
            {
                break;
            }

            int start = pos;
            if (!TrySkipValue(data, ref pos, type, depth + 1) || count == fields.Length)
            {
                throw Malformed("statistics");
            }

            fields[count] = (id, type, start, pos);
            if (type == Binary && (id == 6 || (id == 2 && min < 0)))
            {
                min = count;
            }

            if (type == Binary && (id == 5 || (id == 1 && max < 0)))
            {
                max = count;
            }

            count++;
        }

        ReadOnlySpan<byte> minValue = min >= 0 ? BinaryAt(data, fields[min].Start) : default;
        ReadOnlySpan<byte> maxValue = max >= 0 ? BinaryAt(data, fields[max].Start) : default;
        short lastOut = 0;
        if (minValue.Length <= _maxBytes && maxValue.Length <= _maxBytes)
        {
            foreach (var (id, type, start, end) in fields[..count])
            {
                WriteFieldHeader(output, type, id, ref lastOut);
                output.Write(data[start..end]);
            }

            WriteByte(output, FieldStop);
            return;
        }

        // Too long: keep the counts, write bounds as min_value/max_value with their exact flags, drop the deprecated
        // pair. Without an upper bound neither is written (readers use the two together).
        byte[]? upper = null;
        bool bounded = min >= 0 && max >= 0 && Utf8StatisticsBound.TryUpperBound(maxValue, _maxBytes, out upper);
        foreach (var (id, type, start, end) in fields[..count])
        {
            if (id is 3 or 4)
            {
                WriteFieldHeader(output, type, id, ref lastOut);
                output.Write(data[start..end]);
            }
        }

        if (bounded)
        {
            WriteFieldHeader(output, Binary, 5, ref lastOut);
            WriteBinary(output, upper);
            WriteFieldHeader(output, Binary, 6, ref lastOut);
            WriteBinary(output, Utf8StatisticsBound.LowerBound(minValue, _maxBytes));
            WriteFieldHeader(output, maxValue.Length <= _maxBytes ? BoolTrue : BoolFalse, 7, ref lastOut);
            WriteFieldHeader(output, minValue.Length <= _maxBytes ? BoolTrue : BoolFalse, 8, ref lastOut);
        }

        foreach (var (id, type, start, end) in fields[..count])
        {
            if (id > 8)
            {
                WriteFieldHeader(output, type, id, ref lastOut);
                output.Write(data[start..end]);
            }
        }

        WriteByte(output, FieldStop);
    }

    // A column chunk runs from its first page (the dictionary page if any) for total_compressed_size bytes; its sizes
    // change by what its own headers changed. ColumnMetaData: 7 total_compressed_size, 9 data_page_offset,
    // 11 dictionary_page_offset.
    private long ChunkDelta(ReadOnlySpan<byte> data, int pos, out bool dictionaryOffsetMissing)
    {
        long? compressed = null;
        long? dataPage = null;
        long? dictionaryPage = null;
        short lastId = 0;
        while (true)
        {
            if (!NextField(data, ref pos, ref lastId, "column metadata", out byte type, out short id))
            {
                break;
            }

            if (type == I64 && id is 7 or 9 or 11)
            {
                long value = ReadInteger(data, ref pos);
                if (id == 7)
                {
                    compressed = value;
                }
                else if (id == 9)
                {
                    dataPage = value;
                }
                else
                {
                    dictionaryPage = value;
                }
            }
            else if (!TrySkipValue(data, ref pos, type, 1))
            {
                throw Malformed("truncated column metadata");
            }
        }

        if (compressed is null || dataPage is null)
        {
            throw Malformed("column metadata without offsets");
        }

        dictionaryOffsetMissing = dictionaryPage is null;
        long start = dictionaryPage is { } d && d < dataPage ? d : dataPage.Value;
        long delta = Shift(start + compressed.Value) - Shift(start);
        _rowGroupDelta += delta;
        return delta;
    }

    private static ReadOnlySpan<byte> BinaryAt(ReadOnlySpan<byte> data, int start) => ReadBinary(data, ref start);

    // A schema element with its converted_type (6) and logicalType (10) replaced by the annotation's, written in field
    // order; SchemaElement: 1 type, 6 converted_type, 10 logicalType. The bytes are those Parquet.Net writes for a
    // DataField<DateOnly> (LogicalType DATE and ConvertedType DATE) and for a DateTimeDataField of DateTimeFormat.Timestamp,
    // micros, adjusted to UTC (LogicalType TIMESTAMP only).
    private static void CopyAnnotated(ReadOnlySpan<byte> data, ref int pos, IBufferWriter<byte> output, ColumnAnnotation annotation, int depth)
    {
        const int Int32Type = 1;
        const int Int64Type = 2;
        const int ConvertedDate = 6;
        short lastIn = 0;
        short lastOut = 0;
        bool convertedWritten = annotation != ColumnAnnotation.Date;
        bool logicalWritten = false;
        while (true)
        {
            bool more = NextField(data, ref pos, ref lastIn, "schema element", out byte type, out short id);
            if (!convertedWritten && (!more || id > 6))
            {
                WriteFieldHeader(output, I32, 6, ref lastOut);
                WriteInteger(output, ConvertedDate);
                convertedWritten = true;
            }

            if (!logicalWritten && (!more || id > 10))
            {
                WriteFieldHeader(output, Struct, 10, ref lastOut);
                short lastInner = 0;
                if (annotation == ColumnAnnotation.Date)
                {
                    WriteFieldHeader(output, Struct, 6, ref lastInner); // LogicalType.DATE: DateType {}
                    WriteByte(output, FieldStop);
                }
                else
                {
                    WriteFieldHeader(output, Struct, 8, ref lastInner); // LogicalType.TIMESTAMP: TimestampType
                    short lastTimestamp = 0;
                    WriteFieldHeader(output, BoolTrue, 1, ref lastTimestamp); // isAdjustedToUTC
                    WriteFieldHeader(output, Struct, 2, ref lastTimestamp); // unit: TimeUnit
                    short lastUnit = 0;
                    WriteFieldHeader(output, Struct, 2, ref lastUnit); // TimeUnit.MICROS: MicroSeconds {}
                    WriteByte(output, FieldStop);
                    WriteByte(output, FieldStop);
                    WriteByte(output, FieldStop);
                }

                WriteByte(output, FieldStop);
                logicalWritten = true;
            }

            if (!more)
            {
                WriteByte(output, FieldStop);
                return;
            }

            if (id is 6 or 10)
            {
                if (!TrySkipValue(data, ref pos, type, depth + 1))
                {
                    throw Malformed("schema element");
                }

                continue;
            }

            if (id == 1 && type == I32)
            {
                long physical = ReadInteger(data, ref pos);
                if (physical != (annotation == ColumnAnnotation.Date ? Int32Type : Int64Type))
                {
                    throw Malformed($"{annotation} annotation on physical type {physical}");
                }

                WriteFieldHeader(output, type, id, ref lastOut);
                WriteInteger(output, physical);
                continue;
            }

            WriteFieldHeader(output, type, id, ref lastOut);
            CopyValue(data, ref pos, output, type, depth + 1);
        }
    }

    private static Kind ChildKind(Kind parent, short id) => (parent, id) switch
    {
        (Kind.FileMetaData, 2) => Kind.SchemaElement,
        (Kind.PageHeader, 5) => Kind.DataPageHeader,
        (Kind.PageHeader, 8) => Kind.DataPageHeaderV2,
        (Kind.DataPageHeader, 5) => Kind.Statistics,
        (Kind.DataPageHeaderV2, 8) => Kind.Statistics,
        (Kind.FileMetaData, 4) => Kind.RowGroup,
        (Kind.RowGroup, 1) => Kind.ColumnChunk,
        (Kind.ColumnChunk, 3) => Kind.ColumnMetaData,
        (Kind.ColumnMetaData, 12) => Kind.Statistics,
        _ => Kind.Other,
    };

    private const int DictionaryPage = 2; // PageType.DICTIONARY_PAGE
    private const short DictionaryPageOffsetField = 11;

    private enum FieldRole
    {
        None,
        Offset,
        DataPageOffset,
        PageType,
        ChunkSize,
        RowGroupSize,
        CompressedPageSize,
    }

    // RowGroup: 2 total_byte_size, 5 file_offset, 6 total_compressed_size. ColumnChunk: 2 file_offset,
    // 4 offset_index_offset, 6 column_index_offset. ColumnMetaData: 6/7 total (un)compressed size, 9 data_page_offset,
    // 10 index_page_offset, 11 dictionary_page_offset, 14 bloom_filter_offset. PageHeader: 1 type,
    // 3 compressed_page_size.
    private static FieldRole Role(Kind kind, short id) => (kind, id) switch
    {
        (Kind.PageHeader, 1) => FieldRole.PageType,
        (Kind.PageHeader, 3) => FieldRole.CompressedPageSize,
        (Kind.RowGroup, 2) or (Kind.RowGroup, 6) => FieldRole.RowGroupSize,
        (Kind.RowGroup, 5) => FieldRole.Offset,
        (Kind.ColumnChunk, 2) or (Kind.ColumnChunk, 4) or (Kind.ColumnChunk, 6) => FieldRole.Offset,
        (Kind.ColumnMetaData, 6) or (Kind.ColumnMetaData, 7) => FieldRole.ChunkSize,
        (Kind.ColumnMetaData, 9) => FieldRole.DataPageOffset,
        (Kind.ColumnMetaData, 10) or (Kind.ColumnMetaData, 11) or (Kind.ColumnMetaData, 14) => FieldRole.Offset,
        _ => FieldRole.None,
    };
}

/// <summary>
/// A logical type for a column Parquet.Net writes as a plain integer: dates as days since the epoch, timestamps as
/// microseconds since the epoch, which Parquet.Net's own DateOnly and DateTime encoders write one value at a time with
/// an allocation each (a tenth of a wide file's instructions).
/// </summary>
internal enum ColumnAnnotation
{
    None,

    /// <summary>INT32 as DATE.</summary>
    Date,

    /// <summary>INT64 as TIMESTAMP(isAdjustedToUTC = true, MICROS).</summary>
    TimestampMicrosUtc,
}
