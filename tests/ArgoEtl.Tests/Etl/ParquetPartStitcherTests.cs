using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Output.ParquetMetadata;
using ArgoEtl.Etl.Schema;
using Parquet;
using Parquet.Schema;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// Parts written as production writes them (each its own <see cref="ParquetBatchWriter"/> into memory) joined into one
/// file, read back with Parquet.Net and walked page by page from the offsets in the stitched footer.
/// </summary>
public sealed class ParquetPartStitcherTests
{
    private static readonly TableSchema AllTypes = Schema("s:string,i:int32,l:int64,d:double,b:bool,dt:date,ts:timestamp");

    [Fact]
    public async Task Three_parts_read_back_as_three_row_groups_with_every_value_in_order()
    {
        byte[][] parts =
        [
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..10),
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 10..47),
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 47..50),
        ];
        var output = new ForwardOnlyStream();

        var (file, stitcher) = await StitchAsync(output, parts);

        var stitched = await ReadAllAsync(file);
        Assert.Equal(3, stitched.RowGroups);
        Assert.Equal(new long[] { 10, 37, 3 }, stitched.RowsPerGroup);
        Assert.Equal(50, stitcher.RowCount);
        Assert.Equal(Expected(0..50), stitched.Rows);
        Assert.Equal(AllTypes.Columns.Select(c => c.Name), stitched.Names);

        // The same rows written by one writer in one go read back the same.
        var single = await ReadAllAsync(await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..10, 10..47, 47..50));
        Assert.Equal(single.Rows, stitched.Rows);
        Assert.Equal(single.RowsPerGroup, stitched.RowsPerGroup);

        // One write for the magic, one per part for its pages, one for the footer: no per-page or per-byte writes.
        Assert.Equal(5, output.Writes);
    }

    [Fact]
    public async Task Every_offset_in_the_stitched_footer_points_at_its_pages()
    {
        // Several row groups per part, so offsets move by different amounts within one footer and row groups of a
        // later part are numbered after those of the parts before.
        byte[][] parts =
        [
            WithOffsets(OffsetsAdded.RowGroup, await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..40, 40..45)),
            WithOffsets(OffsetsAdded.RowGroup, await WritePartAsync(AllTypes, ParquetCompression.Snappy, 45..90)),
            WithOffsets(OffsetsAdded.RowGroup, await WritePartAsync(AllTypes, ParquetCompression.Snappy, 90..91, 91..150, 150..160)),
        ];

        byte[] file = (await StitchAsync(new ForwardOnlyStream(), parts)).Output;

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var groups = reader.Metadata!.RowGroups;
        Assert.Equal(6, groups.Count);
        int footerStart = FooterStart(file);
        long previousEnd = 4;
        for (int g = 0; g < groups.Count; g++)
        {
            Assert.Equal((short)g, groups[g].Ordinal);
            var first = groups[g].Columns[0].MetaData!;
            Assert.Equal(first.DictionaryPageOffset ?? first.DataPageOffset, groups[g].FileOffset);
            foreach (var chunk in groups[g].Columns)
            {
                var meta = chunk.MetaData!;
                long start = meta.DictionaryPageOffset ?? meta.DataPageOffset;
                Assert.Equal(previousEnd, start); // chunk after chunk, nothing lost or doubled between them
                Assert.Equal(start, chunk.FileOffset);
                previousEnd = WalkChunk(file, footerStart, meta);
            }
        }

        Assert.Equal(footerStart, previousEnd);
        Assert.Equal(Expected(0..160), (await ReadAllAsync(file)).Rows);
    }

    [Fact]
    public async Task Every_kind_of_offset_moves_by_where_its_part_landed()
    {
        byte[][] plain =
        [
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..10, 10..12),
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 12..40),
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 40..43, 43..50),
        ];
        byte[][] parts = plain.Select(p => WithOffsets(OffsetsAdded.Every, p)).ToArray();

        byte[] file = (await StitchAsync(new ForwardOnlyStream(), parts)).Output;

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var stitchedGroups = reader.Metadata!.RowGroups;
        int g = 0;
        long shift = 0;
        foreach (byte[] part in parts)
        {
            await using var partReader = await ParquetReader.CreateAsync(new MemoryStream(part));
            foreach (var partGroup in partReader.Metadata!.RowGroups)
            {
                var stitchedGroup = stitchedGroups[g];
                Assert.Equal((short)g, stitchedGroup.Ordinal);
                Assert.Equal(partGroup.FileOffset + shift, stitchedGroup.FileOffset);
                Assert.Equal(partGroup.TotalCompressedSize, stitchedGroup.TotalCompressedSize);
                Assert.Equal(partGroup.TotalByteSize, stitchedGroup.TotalByteSize);
                for (int c = 0; c < partGroup.Columns.Count; c++)
                {
                    var (before, after) = (partGroup.Columns[c], stitchedGroup.Columns[c]);
                    long moved = before.MetaData!.DataPageOffset + shift;
                    Assert.Equal(moved, after.MetaData!.DataPageOffset);
                    Assert.Equal(before.FileOffset + shift, after.FileOffset);
                    Assert.Equal(before.ColumnIndexOffset + shift, after.ColumnIndexOffset);
                    Assert.Equal(moved, after.MetaData.IndexPageOffset);
                    Assert.Equal(before.MetaData.DictionaryPageOffset + shift, after.MetaData.DictionaryPageOffset);
                    Assert.Equal(moved, after.MetaData.BloomFilterOffset);
                    Assert.Equal(before.MetaData.TotalCompressedSize, after.MetaData.TotalCompressedSize);
                    Assert.Equal(before.MetaData.TotalUncompressedSize, after.MetaData.TotalUncompressedSize);
                }

                g++;
            }

            shift += FooterStart(part) - 4;
        }

        Assert.Equal(stitchedGroups.Count, g);
    }

    [Fact]
    public async Task A_part_without_row_groups_between_others_adds_nothing()
    {
        byte[][] parts =
        [
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..5),
            await WritePartAsync(AllTypes, ParquetCompression.Snappy),
            await WritePartAsync(AllTypes, ParquetCompression.Snappy, 5..12),
        ];

        var (file, stitcher) = await StitchAsync(new ForwardOnlyStream(), parts);

        var stitched = await ReadAllAsync(file);
        Assert.Equal(new long[] { 5, 7 }, stitched.RowsPerGroup);
        Assert.Equal(Expected(0..12), stitched.Rows);
        Assert.Equal(12, stitcher.RowCount);
        Assert.Equal(4 + (FooterStart(parts[0]) - 4) + (FooterStart(parts[2]) - 4), FooterStart(file));
    }

    [Fact]
    public async Task Only_a_part_without_row_groups_makes_a_valid_file_with_the_schema_and_no_rows()
    {
        byte[] empty = await WritePartAsync(AllTypes, ParquetCompression.Snappy);

        var (file, stitcher) = await StitchAsync(new ForwardOnlyStream(), [empty]);

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        Assert.Equal(0, reader.RowGroupCount);
        Assert.Equal(0, reader.Metadata!.NumRows);
        Assert.Equal(AllTypes.Columns.Select(c => c.Name), reader.Schema.DataFields.Select(f => f.Name));
        await using var partReader = await ParquetReader.CreateAsync(new MemoryStream(empty));
        Assert.Equal(partReader.Schema.DataFields.Select(f => f.ClrType), reader.Schema.DataFields.Select(f => f.ClrType));
        Assert.Equal(0, stitcher.RowCount);
    }

    [Fact]
    public async Task A_single_part_comes_out_byte_for_byte_as_it_went_in()
    {
        // Every field is copied as it was and a lone part's offsets do not move: the footer is re-encoded to the same bytes.
        byte[] part = await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..30, 30..33);
        byte[] empty = await WritePartAsync(AllTypes, ParquetCompression.Snappy);

        Assert.Equal(part, (await StitchAsync(new ForwardOnlyStream(), [part])).Output);
        Assert.Equal(empty, (await StitchAsync(new ForwardOnlyStream(), [empty])).Output);
    }

    [Fact]
    public async Task Completing_without_a_part_is_refused()
    {
        var output = new ForwardOnlyStream();
        var stitcher = new ParquetPartStitcher(output);

        await Assert.ThrowsAsync<InvalidOperationException>(() => stitcher.CompleteAsync(CancellationToken.None).AsTask());
        Assert.Empty(output.ToArray());
    }

    [Theory]
    [InlineData(ParquetCompression.Snappy)]
    [InlineData(ParquetCompression.Zstd)]
    [InlineData(ParquetCompression.None)]
    public async Task Each_compression_stitches_and_keeps_its_string_statistics(ParquetCompression compression)
    {
        byte[][] parts =
        [
            await WritePartAsync(AllTypes, compression, 0..20),
            await WritePartAsync(AllTypes, compression, 20..21, 21..64),
            await WritePartAsync(AllTypes, compression, 64..70),
        ];

        byte[] file = (await StitchAsync(new ForwardOnlyStream(), parts)).Output;

        Assert.Equal(Expected(0..70), (await ReadAllAsync(file)).Rows);
        var partStatistics = new List<Parquet.Meta.Statistics>();
        foreach (byte[] part in parts)
        {
            await using var partReader = await ParquetReader.CreateAsync(new MemoryStream(part));
            partStatistics.AddRange(partReader.Metadata!.RowGroups.Select(g => g.Columns[0].MetaData!.Statistics!));
        }

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        Assert.Equal(partStatistics.Count, reader.RowGroupCount);
        var field = reader.Schema.DataFields[0];
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var statistics = reader.Metadata!.RowGroups[g].Columns[0].MetaData!.Statistics!;
            Assert.NotNull(statistics.MinValue);
            Assert.NotNull(statistics.MaxValue);
            Assert.Equal(partStatistics[g].MinValue, statistics.MinValue);
            Assert.Equal(partStatistics[g].MaxValue, statistics.MaxValue);
            Assert.Equal(partStatistics[g].NullCount, statistics.NullCount);

            using var group = reader.OpenRowGroupReader(g);
            var values = new string?[group.RowCount];
            await group.ReadAsync(field, values.AsMemory());
            foreach (string value in values.OfType<string>())
            {
                byte[] bytes = Encoding.UTF8.GetBytes(value);
                Assert.True(statistics.MinValue.AsSpan().SequenceCompareTo(bytes) <= 0, $"row group {g}: min above {value}");
                Assert.True(statistics.MaxValue.AsSpan().SequenceCompareTo(bytes) >= 0, $"row group {g}: max below {value}");
            }
        }
    }

    [Theory]
    [InlineData("s:string,i:int32,l:int64,d:double,b:bool,dt:date")]
    [InlineData("s:string,i:int64,l:int64,d:double,b:bool,dt:date,ts:timestamp")]
    [InlineData("s:string,i:int32,l:int64,d:double,b:bool,date:date,ts:timestamp")]
    public async Task A_part_with_another_schema_is_refused_and_nothing_of_it_is_written(string otherSchema)
    {
        var output = new ForwardOnlyStream();
        var stitcher = new ParquetPartStitcher(output);
        await stitcher.AppendAsync(await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..5), CancellationToken.None);
        int written = output.ToArray().Length;

        byte[] other = await WritePartAsync(Schema(otherSchema), ParquetCompression.Snappy, 5..9);
        await Assert.ThrowsAsync<InvalidOperationException>(() => stitcher.AppendAsync(other, CancellationToken.None).AsTask());

        Assert.Equal(written, output.ToArray().Length);
        Assert.Equal(5, stitcher.RowCount);
    }

    [Theory]
    [InlineData("cut short")]
    [InlineData("footer length too long")]
    [InlineData("footer cut inside")]
    [InlineData("no leading magic")]
    public async Task A_broken_part_is_refused_and_the_output_stays_as_it_was(string damage)
    {
        byte[] good = await WritePartAsync(AllTypes, ParquetCompression.Snappy, 5..30);
        byte[] broken = good.ToArray();
        int footerLength = good.Length - 8 - FooterStart(good);
        switch (damage)
        {
            case "cut short":
                broken = good[..^100];
                break;
            case "footer length too long":
                BinaryPrimitives.WriteInt32LittleEndian(broken.AsSpan(broken.Length - 8), good.Length);
                break;
            case "footer cut inside":
                // The footer's last 20 bytes gone, its length and magic kept: the stated footer now starts among the pages.
                broken = [.. good[..(good.Length - 8 - 20)], .. good[^8..]];
                break;
            default:
                broken[0] = (byte)'X';
                break;
        }

        var output = new ForwardOnlyStream();
        var stitcher = new ParquetPartStitcher(output);
        await stitcher.AppendAsync(await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..5), CancellationToken.None);
        int written = output.ToArray().Length;

        var error = await Assert.ThrowsAsync<EtlException>(() => stitcher.AppendAsync(broken, CancellationToken.None).AsTask());

        Assert.Equal(EtlErrors.ParquetMetadataRewrite.Code, error.Code);
        Assert.Equal(written, output.ToArray().Length);
        Assert.True(footerLength > 20);

        // Nothing of the refused part was kept: the file still completes, with the good part's rows only.
        await stitcher.CompleteAsync(CancellationToken.None);
        Assert.Equal(Expected(0..5), (await ReadAllAsync(output.ToArray())).Rows);
    }

    [Fact]
    public async Task A_part_whose_offsets_point_outside_its_pages_is_refused()
    {
        // A part with a page cut out of its middle: its footer still names the positions before the cut.
        byte[] good = await WritePartAsync(AllTypes, ParquetCompression.Snappy, 0..30);
        int footerStart = FooterStart(good);
        byte[] broken = [.. good[..4], .. good[(footerStart - 40)..]];

        var stitcher = new ParquetPartStitcher(new ForwardOnlyStream());

        var error = await Assert.ThrowsAsync<EtlException>(() => stitcher.AppendAsync(broken, CancellationToken.None).AsTask());
        Assert.Equal(EtlErrors.ParquetMetadataRewrite.Code, error.Code);
    }

    // Row k of the test data: every column type, each with nulls at its own rows. Strings repeat (so chunks with
    // enough rows get a dictionary page) with a long value now and then (so statistics are capped).
    private static object?[] Row(int k) =>
    [
        k % 7 == 0 ? null : k % 11 == 3 ? $"long-{k}-" + new string((char)('a' + (k % 26)), 100) : $"name-{k % 4}-\u00e9",
        k % 5 == 1 ? null : k * 37 - 1000,
        k % 6 == 2 ? null : k * 1_000_000_007L,
        k % 4 == 3 ? null : k * 0.25 - 3,
        k % 3 == 0 ? null : k % 2 == 0,
        k % 8 == 5 ? null : new DateOnly(2000, 1, 1).AddDays(k * 13),
        k % 9 == 4 ? null : new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(k * 3661L),
    ];

    // The rows as Parquet.Net reads them back: a date column comes back as DateTime at midnight.
    private static IEnumerable<object?[]> Expected(Range rows)
    {
        var (first, count) = rows.GetOffsetAndLength(int.MaxValue);
        return Enumerable.Range(first, count).Select(k => Row(k).Select(v => v is DateOnly d ? d.ToDateTime(TimeOnly.MinValue) : v).ToArray());
    }

    private static string CsvField(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static RowBatch Batch(TableSchema schema, Range rows)
    {
        var (first, count) = rows.GetOffsetAndLength(int.MaxValue);
        var batch = new RowBatch(schema, count);
        for (int r = 0; r < count; r++)
        {
            object?[] values = Row(first + r);
            for (int c = 0; c < batch.Columns.Length; c++)
            {
                Assert.True(batch.Columns[c].TryAppend(CsvField(values[c]), r));
            }

            batch.Count++;
        }

        return batch;
    }

    // A part as production writes it: one ParquetBatchWriter into memory, one row group per range.
    private static async Task<byte[]> WritePartAsync(TableSchema schema, ParquetCompression compression, params Range[] rowGroups)
    {
        var output = new MemoryStream();
        await using var writer = new ParquetBatchWriter(output, schema, compression);
        foreach (var rows in rowGroups)
        {
            await writer.WriteAsync(Batch(schema, rows), CancellationToken.None);
        }

        await writer.CompleteAsync(CancellationToken.None);
        return output.ToArray();
    }

    private static async Task<(byte[] Output, ParquetPartStitcher Stitcher)> StitchAsync(ForwardOnlyStream output, byte[][] parts)
    {
        var stitcher = new ParquetPartStitcher(output);
        foreach (byte[] part in parts)
        {
            await stitcher.AppendAsync(part, CancellationToken.None);
        }

        await stitcher.CompleteAsync(CancellationToken.None);
        return (output.ToArray(), stitcher);
    }

    internal static int FooterStart(byte[] file) => file.Length - 8 - BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8, 4));

    private static async Task<(int RowGroups, long[] RowsPerGroup, string[] Names, List<object?[]> Rows)> ReadAllAsync(byte[] file)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var fields = reader.Schema.DataFields;
        var rows = new List<object?[]>();
        var rowsPerGroup = new long[reader.RowGroupCount];
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            rowsPerGroup[g] = count;
            var columns = new object?[fields.Length][];
            for (int c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumnAsync(group, fields[c], count);
            }

            for (int r = 0; r < count; r++)
            {
                rows.Add(columns.Select(column => column[r]).ToArray());
            }
        }

        return (reader.RowGroupCount, rowsPerGroup, fields.Select(f => f.Name).ToArray(), rows);
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory());
            return strings;
        }

        return type == typeof(int) ? await ReadValuesAsync<int>(group, field, rows)
            : type == typeof(long) ? await ReadValuesAsync<long>(group, field, rows)
            : type == typeof(double) ? await ReadValuesAsync<double>(group, field, rows)
            : type == typeof(bool) ? await ReadValuesAsync<bool>(group, field, rows)
            : type == typeof(DateTime) ? await ReadValuesAsync<DateTime>(group, field, rows)
            : throw new InvalidOperationException($"no reader for {type}");
    }

    private static async Task<object?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        var values = new T?[rows];
        await group.ReadAsync<T>(field, values);
        return values.Select(v => (object?)v).ToArray();
    }

    // Walks a column chunk page by page from the offsets in its metadata: the dictionary page (if any) first, then
    // data pages, each a Thrift PageHeader followed by its compressed bytes, all inside the pages, adding up to the
    // chunk's compressed size and value count. Returns where the chunk ends.
    internal static long WalkChunk(byte[] file, int footerStart, Parquet.Meta.ColumnMetaData meta)
    {
        const int DictionaryPage = 2;
        long start = meta.DictionaryPageOffset ?? meta.DataPageOffset;
        long end = start + meta.TotalCompressedSize;
        Assert.InRange(start, 4, footerStart);
        Assert.InRange(end, start, footerStart);
        long position = start;
        long values = 0;
        bool dataPageSeen = false;
        while (position < end)
        {
            var header = ReadPageHeader(file.AsSpan((int)position, (int)(end - position)));
            Assert.InRange(header.CompressedSize, 0, end - position - header.Length);
            if (position == meta.DictionaryPageOffset)
            {
                Assert.Equal(DictionaryPage, header.Type);
            }
            else
            {
                Assert.True(header.Type is 0 or 3, $"page at {position} is of type {header.Type}, not a data page");
                dataPageSeen |= position == meta.DataPageOffset;
                values += header.Values;
            }

            position += header.Length + header.CompressedSize;
        }

        Assert.Equal(end, position);
        Assert.True(dataPageSeen, $"no page starts at data_page_offset {meta.DataPageOffset}");
        Assert.Equal(meta.NumValues, values);
        return end;
    }

    // PageHeader: 1 type, 3 compressed_page_size, 5 data_page_header and 8 data_page_header_v2 (each 1 num_values).
    private static (int Type, int CompressedSize, int Values, int Length) ReadPageHeader(ReadOnlySpan<byte> data)
    {
        int type = -1;
        int compressedSize = -1;
        int values = 0;
        int pos = 0;
        short lastId = 0;
        while (true)
        {
            Assert.True(ThriftCompact.TryReadFieldHeader(data, ref pos, ref lastId, out byte fieldType, out short id), "truncated page header");
            if (fieldType == ThriftCompact.FieldStop)
            {
                break;
            }

            if (fieldType == ThriftCompact.I32 && id is 1 or 3)
            {
                int value = (int)ThriftCompact.ReadInteger(data, ref pos);
                type = id == 1 ? value : type;
                compressedSize = id == 3 ? value : compressedSize;
            }
            else if (fieldType == ThriftCompact.Struct && id is 5 or 8)
            {
                values = ReadFirstI32(data, ref pos);
            }
            else
            {
                Assert.True(ThriftCompact.TrySkipValue(data, ref pos, fieldType, 1), "truncated page header");
            }
        }

        Assert.True(type >= 0 && compressedSize >= 0, "not a page header");
        return (type, compressedSize, values, pos);
    }

    private static int ReadFirstI32(ReadOnlySpan<byte> data, ref int pos)
    {
        int first = -1;
        short lastId = 0;
        while (true)
        {
            Assert.True(ThriftCompact.TryReadFieldHeader(data, ref pos, ref lastId, out byte fieldType, out short id));
            if (fieldType == ThriftCompact.FieldStop)
            {
                return first;
            }

            if (id == 1 && fieldType == ThriftCompact.I32)
            {
                first = (int)ThriftCompact.ReadInteger(data, ref pos);
            }
            else
            {
                Assert.True(ThriftCompact.TrySkipValue(data, ref pos, fieldType, 1));
            }
        }
    }

    private enum OffsetsAdded
    {
        RowGroup,
        Every,
    }

    // The writer puts in the footer's offsets only ColumnChunk.file_offset, data_page_offset and (for a dictionary-
    // encoded string chunk) dictionary_page_offset, no page indexes or bloom filters, and no RowGroup.ordinal; other
    // writers do. This re-encodes a part's footer with them added, so the test can see
    // each moved: RowGroup 5 file_offset (its first chunk's start) and 7 ordinal (its place in the part), and for Every
    // also ColumnChunk 6 column_index_offset and ColumnMetaData 10 index_page_offset, 11 dictionary_page_offset (where
    // the chunk has none), 14 bloom_filter_offset, all set to the chunk's data_page_offset. Only the first kind is still
    // a file whose pages can be read; the second is for its metadata.
    private static byte[] WithOffsets(OffsetsAdded added, byte[] part)
    {
        int footerStart = FooterStart(part);
        ReadOnlySpan<byte> footer = part.AsSpan(footerStart, part.Length - 8 - footerStart);
        var output = new ArrayBufferWriter<byte>();
        output.Write(part.AsSpan(0, footerStart));
        int footerOut = output.WrittenCount;
        int pos = 0;
        CopyStructAdding(footer, ref pos, output, Level.FileMetaData, 0, added);
        Assert.Equal(footer.Length, pos);
        ThriftCompact.WriteInt32LittleEndian(output, output.WrittenCount - footerOut);
        output.Write("PAR1"u8);
        return output.WrittenSpan.ToArray();
    }

    private enum Level
    {
        FileMetaData,
        RowGroup,
        ColumnChunk,
        ColumnMetaData,
    }

    // Copies one struct, its row groups, column chunks and column metadata walked into; returns the start of the column
    // chunk found in it (its dictionary page, else its first data page; of its first chunk, for a row group).
    private static long CopyStructAdding(ReadOnlySpan<byte> data, ref int pos, ArrayBufferWriter<byte> output, Level level, int index, OffsetsAdded added)
    {
        long dataPageOffset = -1;
        long dictionaryPageOffset = -1;
        short lastIn = 0;
        short lastOut = 0;
        while (true)
        {
            Assert.True(ThriftCompact.TryReadFieldHeader(data, ref pos, ref lastIn, out byte type, out short id));
            if (type == ThriftCompact.FieldStop)
            {
                break;
            }

            Level? child = (level, id) switch
            {
                (Level.FileMetaData, 4) => Level.RowGroup,
                (Level.RowGroup, 1) => Level.ColumnChunk,
                (Level.ColumnChunk, 3) => Level.ColumnMetaData,
                _ => null,
            };
            Assert.False(IsAdded(level, id, added) && (level, id) != (Level.ColumnMetaData, 11), $"Parquet.Net now writes field {id} of {level} itself: the helper would write it twice");
            ThriftCompact.WriteFieldHeader(output, type, id, ref lastOut);
            if (child is { } childLevel && type == ThriftCompact.List)
            {
                Assert.True(ThriftCompact.TryReadListHeader(data, ref pos, out int count, out byte elementType));
                ThriftCompact.WriteListHeader(output, count, elementType);
                for (int i = 0; i < count; i++)
                {
                    long found = CopyStructAdding(data, ref pos, output, childLevel, i, added);
                    dataPageOffset = dataPageOffset < 0 ? found : dataPageOffset;
                }
            }
            else if (child is { } structLevel)
            {
                dataPageOffset = CopyStructAdding(data, ref pos, output, structLevel, 0, added);
            }
            else if (level == Level.ColumnMetaData && id == 9)
            {
                dataPageOffset = ThriftCompact.ReadInteger(data, ref pos);
                ThriftCompact.WriteInteger(output, dataPageOffset);
            }
            else if (level == Level.ColumnMetaData && id == 11)
            {
                dictionaryPageOffset = ThriftCompact.ReadInteger(data, ref pos);
                ThriftCompact.WriteInteger(output, dictionaryPageOffset);
            }
            else
            {
                ThriftCompact.CopyValue(data, ref pos, output, type, 1);
            }
        }

        foreach (short id in new short[] { 5, 6, 7, 10, 11, 14 }.Where(id => IsAdded(level, id, added) && !(id == 11 && dictionaryPageOffset >= 0)))
        {
            bool ordinal = level == Level.RowGroup && id == 7;
            ThriftCompact.WriteFieldHeader(output, ordinal ? ThriftCompact.I16 : ThriftCompact.I64, id, ref lastOut);
            ThriftCompact.WriteInteger(output, ordinal ? index : dataPageOffset);
        }

        ThriftCompact.WriteByte(output, ThriftCompact.FieldStop);
        return dictionaryPageOffset >= 0 ? dictionaryPageOffset : dataPageOffset;
    }

    private static bool IsAdded(Level level, short id, OffsetsAdded added) => (level, id) switch
    {
        (Level.RowGroup, 5) or (Level.RowGroup, 7) => true,
        (Level.ColumnChunk, 6) => added == OffsetsAdded.Every,
        (Level.ColumnMetaData, 10) or (Level.ColumnMetaData, 11) or (Level.ColumnMetaData, 14) => added == OffsetsAdded.Every,
        _ => false,
    };

    /// <summary>An output that only goes forward, as a network or temp stream: any seek or position query fails the test.</summary>
    private sealed class ForwardOnlyStream : Stream
    {
        private readonly MemoryStream _written = new();

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] ToArray() => _written.ToArray();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            _written.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
