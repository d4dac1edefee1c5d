using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output.ParquetMetadata;
using static ArgoEtl.Etl.Output.ParquetMetadata.ThriftCompact;

namespace ArgoEtl.Etl.Output.ParquetEncoding;

/// <summary>
/// Encodes one row group's string column as a Parquet column chunk, straight from the column's char buffer: one data
/// page, PLAIN or, where the column has few distinct values, a dictionary page and PLAIN_DICTIONARY indexes, as
/// Parquet.Net writes them. Parquet.Net's own string path counts, encodes and compares every value as UTF-16 one call
/// at a time, a fifth of the narrow benchmark file's instructions; here an ASCII row group is narrowed to bytes in one
/// pass, each value is a 16-byte copy, and min/max are found on the UTF-8 bytes as they are written (bytewise, as
/// Parquet orders strings). The statistics are capped at <see cref="ParquetBatchWriter.MaxStatisticsBytes"/> and
/// written once, in the footer. Field ids and enum values are parquet.thrift's. Not thread-safe: one per worker.
/// </summary>
internal sealed class StringChunkEncoder : IDisposable
{
    // parquet.thrift: Type.BYTE_ARRAY; Encoding PLAIN, PLAIN_DICTIONARY, RLE; PageType DATA_PAGE, DICTIONARY_PAGE.
    private const int ByteArrayType = 6;
    private const int PlainEncoding = 0;
    private const int PlainDictionaryEncoding = 2;
    private const int RleEncoding = 3;
    private const int DataPage = 0;
    private const int DictionaryPage = 2;

    // As Parquet.Net's DictionaryEncodingThreshold and the sample size ParquetLayout gives it: a column whose first
    // 4096 values, or whose row group, is over 80 % distinct values is written plain.
    private const double DictionaryThreshold = 0.8;
    private const int DictionarySampleSize = 4096;

    // A value up to this long is copied as one 16-byte block, into room the buffers keep past their ends.
    private const int BlockCopy = 16;

    private readonly PageCompressor _compressor;
    private readonly int _maxStatisticsBytes;
    private readonly ArrayBufferWriter<byte> _page = new();
    private readonly ArrayBufferWriter<byte> _compressed = new();
    private readonly ArrayBufferWriter<byte> _header = new();
    private readonly Dictionary<ReadOnlyMemory<char>, int> _dictionary = new(CharsComparer.Instance);
    private byte[] _ascii = [];
    private int[] _indexes = [];
    private int[] _distinctStarts = [];
    private int[] _distinctLengths = [];

    public StringChunkEncoder(ParquetCompression compression, int maxStatisticsBytes)
    {
        _compressor = new PageCompressor(compression);
        _maxStatisticsBytes = maxStatisticsBytes;
    }

    public void Dispose() => _compressor.Dispose();

    /// <summary>
    /// Appends the chunk's pages to <paramref name="pages"/>, whose end is at <paramref name="chunkStart"/> in the file,
    /// and its ColumnChunk struct (offsets, sizes, statistics) to <paramref name="chunk"/>. Returns the chunk's
    /// uncompressed size, headers included, for the row group's total_byte_size.
    /// </summary>
    public long Encode(StringColumnBuffer column, int rows, byte[] utf8Name, long chunkStart, ArrayBufferWriter<byte> pages, ArrayBufferWriter<byte> chunk)
    {
        int pagesBefore = pages.WrittenCount;
        long uncompressed = 0;
        long? dictionaryPageOffset = null;
        Bounds bounds = default;
        bool dictionary = TryDictionary(column, out int distinct);
        if (dictionary)
        {
            // The dictionary page: each distinct value once, so its min and max are the chunk's.
            dictionaryPageOffset = chunkStart;
            _page.ResetWrittenCount();
            bounds = WritePlain(column, _distinctStarts.AsSpan(0, distinct), _distinctLengths.AsSpan(0, distinct), _page);
            uncompressed += WritePage(DictionaryPage, distinct, PlainDictionaryEncoding, pages);
        }

        long dataPageOffset = chunkStart + (pages.WrittenCount - pagesBefore);
        _page.ResetWrittenCount();
        RleBitPackedHybrid.EncodeWithLength(column.DefinitionLevels.AsSpan(0, rows), 1, _page);
        if (dictionary)
        {
            int bitWidth = RleBitPackedHybrid.BitWidth(distinct - 1);
            _page.GetSpan(1)[0] = (byte)bitWidth;
            _page.Advance(1);
            RleBitPackedHybrid.Encode(_indexes.AsSpan(0, column.ValueCount), bitWidth, _page);
        }
        else
        {
            bounds = WritePlain(column, column.Starts.AsSpan(0, column.ValueCount), column.Lengths.AsSpan(0, column.ValueCount), _page);
        }

        uncompressed += WritePage(DataPage, rows, dictionary ? PlainDictionaryEncoding : PlainEncoding, pages);
        var sizes = (Uncompressed: uncompressed, Compressed: pages.WrittenCount - pagesBefore);
        WriteColumnChunk(chunk, utf8Name, chunkStart, dataPageOffset, dictionaryPageOffset, dictionary, rows, sizes, bounds, rows - column.ValueCount);
        return uncompressed;
    }

    // Header and compressed body of the page in _page; returns its uncompressed size. Sizes in the footer count
    // headers, as Parquet.Net's do.
    private int WritePage(int pageType, int valueCount, int encoding, ArrayBufferWriter<byte> pages)
    {
        int uncompressed = _page.WrittenCount;
        ReadOnlySpan<byte> stored = _compressor.Compress(_page.WrittenSpan, _compressed);
        _header.ResetWrittenCount();
        short last = 0;
        WriteIntegerField(_header, I32, 1, pageType, ref last);
        WriteIntegerField(_header, I32, 2, uncompressed, ref last);
        WriteIntegerField(_header, I32, 3, stored.Length, ref last);
        WriteFieldHeader(_header, Struct, pageType == DictionaryPage ? (short)7 : (short)5, ref last);
        short inner = 0;
        WriteIntegerField(_header, I32, 1, valueCount, ref inner);
        WriteIntegerField(_header, I32, 2, encoding, ref inner);
        if (pageType == DataPage)
        {
            // Definition and repetition levels; a flat column has no repetition levels but the field is required.
            WriteIntegerField(_header, I32, 3, RleEncoding, ref inner);
            WriteIntegerField(_header, I32, 4, RleEncoding, ref inner);
        }

        WriteByte(_header, FieldStop);
        WriteByte(_header, FieldStop);
        pages.Write(_header.WrittenSpan);
        pages.Write(stored);
        return _header.WrittenCount + uncompressed;
    }

    // Values as PLAIN BYTE_ARRAY (4-byte length, UTF-8 bytes), with the bytewise smallest and largest.
    private Bounds WritePlain(StringColumnBuffer column, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, ArrayBufferWriter<byte> output)
    {
        var bounds = default(Bounds);
        if (starts.IsEmpty)
        {
            return bounds;
        }

        char[] chars = column.Chars;
        int charCount = column.CharCount;
        if (_ascii.Length < charCount + BlockCopy)
        {
            _ascii = new byte[Math.Max(charCount + BlockCopy, _ascii.Length * 2)];
        }

        // One vectorized pass narrows the whole row group and says whether it is all ASCII, so that a value's bytes
        // are where its chars are. Text with any other character is encoded value by value instead.
        bool ascii = System.Text.Ascii.FromUtf16(chars.AsSpan(0, charCount), _ascii, out _) == OperationStatus.Done;
        int room = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            room += 4 + (ascii ? lengths[i] : Encoding.UTF8.GetMaxByteCount(lengths[i]));
        }

        Span<byte> span = output.GetSpan(room + BlockCopy);
        ref byte source = ref MemoryMarshal.GetArrayDataReference(_ascii);
        int p = 0;
        for (int i = 0; i < starts.Length; i++)
        {
            int length = lengths[i];
            int at = p + 4;
            BinaryPrimitives.WriteInt32LittleEndian(span[p..], length);
            if (!ascii)
            {
                length = Encoding.UTF8.GetBytes(chars.AsSpan(starts[i], lengths[i]), span[at..]);
                BinaryPrimitives.WriteInt32LittleEndian(span[p..], length);
            }
            else if (length <= BlockCopy)
            {
                Unsafe.WriteUnaligned(ref span[at], Unsafe.ReadUnaligned<Vector128<byte>>(ref Unsafe.Add(ref source, starts[i])));
            }
            else
            {
                _ascii.AsSpan(starts[i], length).CopyTo(span[at..]);
            }

            p = at + length;
            bounds.Consider(span, at, length);
        }

        bounds.Take(span, _maxStatisticsBytes);
        output.Advance(p);
        return bounds;
    }

    // Whether the column's values go in a dictionary; if so, _indexes holds each value's entry and the distinct
    // values' places are in _distinctStarts/_distinctLengths. Keys are slices of the char buffer: nothing is copied.
    // One pass: a column longer than the sample gives up as soon as its first 4096 values hold too many distinct
    // ones, and any column once the row group does; the entries found in the sample are kept, not looked up again.
    private bool TryDictionary(StringColumnBuffer column, out int distinct)
    {
        distinct = 0;
        int count = column.ValueCount;
        if (count == 0)
        {
            return false;
        }

        char[] chars = column.Chars;
        var starts = column.Starts;
        var lengths = column.Lengths;
        int sampleEnd = count > DictionarySampleSize ? DictionarySampleSize : 0;
        int sampleLimit = (int)(DictionarySampleSize * DictionaryThreshold);
        int limit = (int)(count * DictionaryThreshold);
        _dictionary.Clear();
        Grow(ref _indexes, count);
        for (int i = 0; i < count; i++)
        {
            var key = new ReadOnlyMemory<char>(chars, starts[i], lengths[i]);
            if (!_dictionary.TryGetValue(key, out int entry))
            {
                entry = _dictionary.Count;
                if (entry >= limit || (i < sampleEnd && entry >= sampleLimit))
                {
                    return false;
                }

                _dictionary.Add(key, entry);
                Grow(ref _distinctStarts, entry + 1);
                Grow(ref _distinctLengths, entry + 1);
                _distinctStarts[entry] = starts[i];
                _distinctLengths[entry] = lengths[i];
            }

            _indexes[i] = entry;
        }

        distinct = _dictionary.Count;
        return true;
    }

    private void WriteColumnChunk(ArrayBufferWriter<byte> chunk, byte[] utf8Name, long chunkStart, long dataPageOffset, long? dictionaryPageOffset, bool dictionary, int rows, (long Uncompressed, int Compressed) sizes, Bounds bounds, int nulls)
    {
        // ColumnChunk: 2 file_offset (deprecated; Parquet.Net writes the chunk's start), 3 meta_data.
        short last = 0;
        WriteIntegerField(chunk, I64, 2, chunkStart, ref last);
        WriteFieldHeader(chunk, Struct, 3, ref last);

        // ColumnMetaData: 1 type, 2 encodings, 3 path_in_schema, 4 codec, 5 num_values, 6 total_uncompressed_size,
        // 7 total_compressed_size, 9 data_page_offset, 11 dictionary_page_offset, 12 statistics.
        short meta = 0;
        WriteIntegerField(chunk, I32, 1, ByteArrayType, ref meta);
        WriteFieldHeader(chunk, List, 2, ref meta);
        WriteListHeader(chunk, 2, I32);
        WriteInteger(chunk, dictionary ? PlainDictionaryEncoding : PlainEncoding);
        WriteInteger(chunk, RleEncoding);
        WriteFieldHeader(chunk, List, 3, ref meta);
        WriteListHeader(chunk, 1, Binary);
        WriteBinary(chunk, utf8Name);
        WriteIntegerField(chunk, I32, 4, _compressor.Codec, ref meta);
        WriteIntegerField(chunk, I64, 5, rows, ref meta);
        WriteIntegerField(chunk, I64, 6, sizes.Uncompressed, ref meta);
        WriteIntegerField(chunk, I64, 7, sizes.Compressed, ref meta);
        WriteIntegerField(chunk, I64, 9, dataPageOffset, ref meta);
        if (dictionaryPageOffset is { } offset)
        {
            WriteIntegerField(chunk, I64, 11, offset, ref meta);
        }

        // Statistics: 3 null_count, 5 max_value, 6 min_value, 7 is_max_value_exact, 8 is_min_value_exact, defined by
        // the footer's column_orders. Strings sort unsigned, so the deprecated signed min/max (1, 2) are left out, as
        // parquet-mr and Arrow leave them out for strings.
        WriteFieldHeader(chunk, Struct, 12, ref meta);
        short stats = 0;
        WriteIntegerField(chunk, I64, 3, nulls, ref stats);
        if (bounds.Max is { } max)
        {
            WriteFieldHeader(chunk, Binary, 5, ref stats);
            WriteBinary(chunk, max);
        }

        if (bounds.Min is { } min)
        {
            WriteFieldHeader(chunk, Binary, 6, ref stats);
            WriteBinary(chunk, min);
        }

        if (bounds.Max is not null)
        {
            WriteFieldHeader(chunk, bounds.MaxExact ? BoolTrue : BoolFalse, 7, ref stats);
        }

        if (bounds.Min is not null)
        {
            WriteFieldHeader(chunk, bounds.MinExact ? BoolTrue : BoolFalse, 8, ref stats);
        }

        WriteByte(chunk, FieldStop); // Statistics
        WriteByte(chunk, FieldStop); // ColumnMetaData
        WriteByte(chunk, FieldStop); // ColumnChunk
    }

    // Keeps what the buffer holds: the distinct values' places grow while they are found.
    private static void Grow(ref int[] buffer, int count)
    {
        if (buffer.Length < count)
        {
            Array.Resize(ref buffer, Math.Max(count, Math.Max(16, buffer.Length * 2)));
        }
    }

    // The smallest and largest value written so far, as places in the span being written; then their capped bytes.
    // Each value's first 8 bytes, as a big-endian number zero-padded past its end, settle most comparisons: a value
    // whose prefix lies strictly between the min's and the max's is neither, whatever follows (a strictly greater
    // padded prefix means a greater string), so only values that share a prefix with the min or max are compared
    // in full. The 8 bytes are read in the room the span keeps past every value.
    private struct Bounds
    {
        private int _minAt;
        private int _minLength;
        private ulong _minPrefix;
        private int _maxAt;
        private int _maxLength;
        private ulong _maxPrefix;
        private bool _any;

        public byte[]? Min { get; private set; }

        public byte[]? Max { get; private set; }

        public bool MinExact { get; private set; }

        public bool MaxExact { get; private set; }

        public void Consider(ReadOnlySpan<byte> written, int at, int length)
        {
            ulong prefix = length == 0 ? 0 : BinaryPrimitives.ReadUInt64BigEndian(written.Slice(at, 8)) & (ulong.MaxValue << (8 * Math.Max(0, 8 - length)));
            if (!_any)
            {
                (_minAt, _minLength, _minPrefix, _maxAt, _maxLength, _maxPrefix, _any) = (at, length, prefix, at, length, prefix, true);
            }
            else if (prefix > _minPrefix && prefix < _maxPrefix)
            {
                return;
            }
            else if (written.Slice(at, length).SequenceCompareTo(written.Slice(_minAt, _minLength)) < 0)
            {
                (_minAt, _minLength, _minPrefix) = (at, length, prefix);
            }
            else if (written.Slice(at, length).SequenceCompareTo(written.Slice(_maxAt, _maxLength)) > 0)
            {
                (_maxAt, _maxLength, _maxPrefix) = (at, length, prefix);
            }
        }

        // A value longer than the cap stands in as a shorter bound, flagged inexact. Where the max has no short upper
        // bound (see Utf8StatisticsBound), neither is written: a reader given a min alone may take the missing max
        // as empty and skip the row group for any predicate above the min.
        public void Take(ReadOnlySpan<byte> written, int maxBytes)
        {
            if (!_any)
            {
                return;
            }

            var max = written.Slice(_maxAt, _maxLength);
            if (!Utf8StatisticsBound.TryUpperBound(max, maxBytes, out byte[] bound))
            {
                return;
            }

            Max = bound;
            MaxExact = bound.Length == max.Length;
            var min = written.Slice(_minAt, _minLength);
            Min = Utf8StatisticsBound.LowerBound(min, maxBytes).ToArray();
            MinExact = Min.Length == min.Length;
        }
    }

    private sealed class CharsComparer : IEqualityComparer<ReadOnlyMemory<char>>
    {
        public static readonly CharsComparer Instance = new();

        public bool Equals(ReadOnlyMemory<char> x, ReadOnlyMemory<char> y) => x.Span.SequenceEqual(y.Span);

        public int GetHashCode(ReadOnlyMemory<char> obj) => string.GetHashCode(obj.Span);
    }
}
