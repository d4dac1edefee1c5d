using System.Text;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Transform;
using Parquet;
using static ArgoEtl.Tests.Etl.TransformTestKit;
using PageEncoding = Parquet.Meta.Encoding;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// String columns are encoded by the writer itself, not by Parquet.Net (see StringChunkEncoder): PLAIN from the
/// column's chars, or a dictionary where values repeat. Parquet.Net reads every file back here, and the footer's
/// statistics are checked against the values.
/// </summary>
public sealed class ParquetStringEncodingTests
{
    private static readonly string[] QuotedEmptyNullAndX = ["\"\"", "", "x"];

    private static async Task<(Dictionary<string, object?[]> Columns, Parquet.Meta.FileMetaData Metadata)> ConvertAsync(string csv, string schema, int rowGroupSize = 1000, int threads = 1)
    {
        var (_, file) = ToParquetFile(csv, new TransformOptions { Schema = Schema(schema), RowGroupSize = rowGroupSize, Threads = threads });
        var (columns, _, _) = await ReadParquetAsync(new MemoryStream(file));
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        return (columns, reader.Metadata!);
    }

    // U+FF5E sorts above U+1F600 in UTF-16 (0xFF5E > 0xD83D, a surrogate) and below it in UTF-8 (EF.. < F0..);
    // Parquet orders strings by their UTF-8 bytes.
    [Theory]
    [InlineData(1)]
    [InlineData(40)]
    public async Task Min_and_max_are_ordered_by_utf8_bytes_in_plain_and_dictionary_chunks(int repeats)
    {
        string[] values = ["\uFF5E", "\U0001F600", "apple", "\u00E9t\u00E9", "Zebra"];
        var rows = Enumerable.Range(0, repeats).SelectMany(_ => values).ToArray();
        var (columns, metadata) = await ConvertAsync("s\n" + string.Concat(rows.Select(v => v + "\n")), "s:string");

        Assert.Equal(rows, columns["s"].Cast<string>());
        var meta = metadata.RowGroups[0].Columns[0].MetaData!;
        Assert.Contains(repeats == 1 ? PageEncoding.PLAIN : PageEncoding.PLAIN_DICTIONARY, meta.Encodings);
        Assert.Equal("Zebra", Encoding.UTF8.GetString(meta.Statistics!.MinValue!));
        Assert.Equal("\U0001F600", Encoding.UTF8.GetString(meta.Statistics.MaxValue!));
        Assert.Equal(0, meta.Statistics.NullCount);
    }

    // Values from a small alphabet, after a common lead, share prefixes with each other and with the min and max at
    // every length, on either side of the 8 bytes the comparison starts with; plain (every value distinct enough)
    // and dictionary (few values) chunks alike.
    [Theory]
    [InlineData("", 3, 12, 7)]
    [InlineData("", 2, 9, 11)]
    [InlineData("", 3, 3, 5)]
    [InlineData("commonpr", 3, 4, 3)]
    [InlineData("common", 2, 6, 4)]
    public async Task Min_and_max_are_exact_among_values_that_share_prefixes(string lead, int letters, int longest, int seed)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 3000)
            .Select(_ => lead + new string(Enumerable.Range(0, random.Next(1, longest + 1)).Select(_ => (char)('a' + random.Next(letters))).ToArray()))
            .ToArray();
        var (columns, metadata) = await ConvertAsync("s\n" + string.Concat(rows.Select(v => v + "\n")), "s:string", rowGroupSize: 3000);

        Assert.Equal(rows, columns["s"].Cast<string>());
        var statistics = metadata.RowGroups[0].Columns[0].MetaData!.Statistics!;
        Assert.Equal(rows.Min(StringComparer.Ordinal), Encoding.UTF8.GetString(statistics.MinValue!));
        Assert.Equal(rows.Max(StringComparer.Ordinal), Encoding.UTF8.GetString(statistics.MaxValue!));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    public async Task Empty_strings_and_nulls_stay_apart(int repeats)
    {
        // A quoted empty field is an empty string; an empty field is null.
        var rows = Enumerable.Range(0, repeats).SelectMany(_ => QuotedEmptyNullAndX).ToArray();
        var (columns, metadata) = await ConvertAsync("id,s\n" + string.Concat(rows.Select((v, i) => $"{i},{v}\n")), "id:int32,s:string");

        var expected = Enumerable.Range(0, repeats).SelectMany(_ => new string?[] { "", null, "x" });
        Assert.Equal(expected, columns["s"].Cast<string?>());
        var statistics = metadata.RowGroups[0].Columns[1].MetaData!.Statistics!;
        Assert.Equal(repeats, statistics.NullCount);
        Assert.Equal("", Encoding.UTF8.GetString(statistics.MinValue!));
        Assert.Equal("x", Encoding.UTF8.GetString(statistics.MaxValue!));
    }

    [Fact]
    public async Task A_column_of_nulls_has_its_null_count_and_no_min_or_max()
    {
        var (columns, metadata) = await ConvertAsync("id,s\n1,\n2,\n3,\n", "id:int32,s:string");

        Assert.Equal([null, null, null], columns["s"]);
        var statistics = metadata.RowGroups[0].Columns[1].MetaData!.Statistics!;
        Assert.Equal(3, statistics.NullCount);
        Assert.Null(statistics.MinValue);
        Assert.Null(statistics.MaxValue);
    }

    [Fact]
    public async Task Ascii_and_non_ascii_row_groups_alternate_and_read_back()
    {
        // Each row group is narrowed in one pass when it is all ASCII and encoded value by value when it is not;
        // values of 1 to 40 chars cross the 16-byte copies at every length.
        var rows = Enumerable.Range(0, 400).Select(i => (i / 50 % 2 == 0 ? "" : "\uD55C") + new string((char)('a' + (i % 26)), 1 + (i % 40))).ToArray();
        var (columns, metadata) = await ConvertAsync("id,s\n" + string.Concat(rows.Select((v, i) => $"{i},{v}\n")), "id:int32,s:string", rowGroupSize: 50);

        Assert.Equal(8, metadata.RowGroups.Count);
        Assert.Equal(rows, columns["s"].Cast<string>());
        Assert.Equal(Enumerable.Range(0, 400).Select(i => (object?)i), columns["id"]);
    }

    // parquet.thrift leaves min_value/max_value undefined without column_orders, and Arrow C++ then ignores them; the
    // row group's total_byte_size is its chunks' uncompressed bytes, Parquet.Net's columns and the strings alike.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Every_column_is_type_ordered_and_row_groups_count_uncompressed_bytes(int threads)
    {
        string csv = "id,name,when,score\n" + string.Concat(Enumerable.Range(0, 900).Select(i => $"{i},n{i % 7},2024-01-{1 + (i % 28):00},{i * 0.5}\n"));
        var (_, metadata) = await ConvertAsync(csv, "id:int64,name:string,when:date,score:double", rowGroupSize: 300, threads: threads);

        Assert.Equal(4, metadata.ColumnOrders!.Count);
        Assert.All(metadata.ColumnOrders, order => Assert.NotNull(order.TYPEORDER));
        Assert.Equal(3, metadata.RowGroups.Count);
        Assert.All(metadata.RowGroups, group => Assert.Equal(group.Columns.Sum(c => c.MetaData!.TotalUncompressedSize), group.TotalByteSize));
    }
}
