using System.Buffers.Binary;
using System.Text;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Output.ParquetMetadata;
using ArgoEtl.Etl.Transform;
using Parquet;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// Issue 17 case 10: Parquet.Net stores each string column chunk's full min and max in the page header and the footer,
/// twice each, so a 10 MB field made an 88 MB file with a 40 MB footer. The writer, which now encodes strings itself,
/// caps them and stores them once.
/// </summary>
public sealed class ParquetLongValueTests
{
    private const int FieldBytes = 10_000_000;

    // Random letters and digits: about 6 bits a character, so no codec makes them much smaller than 7.5 MB, and the
    // file's size shows how many times the value is stored.
    private static string RandomText(int length, int seed, char first)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var random = new Random(seed);
        var chars = new char[length];
        chars[0] = first;
        for (int i = 1; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static async Task<(byte[] File, Dictionary<string, object?[]> Columns)> ConvertAsync(string csv, TransformOptions options)
    {
        var output = new MemoryStream();
        CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), output, options with { Format = OutputFormat.Parquet }, "long.csv");
        byte[] file = output.ToArray();
        var (columns, _, _) = await ReadParquetAsync(new MemoryStream(file));
        return (file, columns);
    }

    private static int FooterLength(byte[] file) => BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8, 4));

    // Every string value lies between its row group's min and max, compared as Parquet compares UTF-8: bytewise.
    private static async Task AssertStatisticsBoundValuesAsync(byte[] file, string column)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var field = reader.Schema.DataFields.Single(f => f.Name == column);
        int index = Array.IndexOf(reader.Schema.DataFields, field);
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            var statistics = reader.Metadata!.RowGroups[g].Columns[index].MetaData!.Statistics;

            // A min without a max is read by some as a max of "", which would skip the row group for `> min`.
            Assert.Equal(statistics?.MinValue is null, statistics?.MaxValue is null);
            using var group = reader.OpenRowGroupReader(g);
            var values = new string?[group.RowCount];
            await group.ReadAsync(field, values.AsMemory());
            if (statistics?.MinValue is { } min && statistics.MaxValue is { } max)
            {
                Assert.True(min.Length <= ParquetBatchWriter.MaxStatisticsBytes && max.Length <= ParquetBatchWriter.MaxStatisticsBytes);
                foreach (string value in values.OfType<string>())
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(value);
                    Assert.True(min.AsSpan().SequenceCompareTo(bytes) <= 0, $"row group {g}: min above a value");
                    Assert.True(max.AsSpan().SequenceCompareTo(bytes) >= 0, $"row group {g}: max below a value");
                }
            }
        }
    }

    [Theory]
    [InlineData(ParquetCompression.Snappy)]
    [InlineData(ParquetCompression.None)]
    public async Task A_10_MB_field_is_stored_once_with_short_statistics(ParquetCompression compression)
    {
        string big = RandomText(FieldBytes, 17, 'Q');
        var (file, columns) = await ConvertAsync($"id,text\n1,{big}\n", new TransformOptions { Schema = Schema("id:int32,text:string"), Compression = compression });

        Assert.Equal(big, columns["text"].Single());
        Assert.True(file.Length < 2.5 * FieldBytes, $"file is {file.Length} bytes for a {FieldBytes}-byte field");
        Assert.True(FooterLength(file) < 1_000_000, $"footer is {FooterLength(file)} bytes");
        await AssertStatisticsBoundValuesAsync(file, "text");
    }

    [Fact]
    public async Task Long_and_short_values_across_row_groups_read_back_with_bounding_statistics()
    {
        // Many row groups whose headers all shrink: every offset in the footer moves, so a wrong one fails the read.
        var rows = Enumerable.Range(0, 60).Select(i => (Id: i, Text: i % 3 == 0 ? $"s{i}" : RandomText(300 + i, i, (char)('A' + (i % 26))))).ToArray();
        rows[7].Text = "\u00e9" + new string('\u00ff', 200); // non-ASCII throughout: no upper bound can be made short
        rows[8].Text = "zz\u20ac" + RandomText(500, 8, 'z');
        string csv = "id,text,n\n" + string.Concat(rows.Select(r => $"{r.Id},{r.Text},{r.Id * 10}\n"));

        var (file, columns) = await ConvertAsync(csv, new TransformOptions { Schema = Schema("id:int32,text:string,n:int64"), RowGroupSize = 7 });

        Assert.Equal(rows.Select(r => (object?)r.Text), columns["text"]);
        Assert.Equal(rows.Select(r => (object?)r.Id), columns["id"]);
        Assert.Equal(rows.Select(r => (object?)(long)(r.Id * 10)), columns["n"]);
        await AssertStatisticsBoundValuesAsync(file, "text");
    }

    [Fact]
    public async Task Short_strings_keep_exact_statistics()
    {
        var (file, _) = await ConvertAsync("text\nkiwi\napple\nplum\n", new TransformOptions { Schema = Schema("text:string") });

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var statistics = reader.Metadata!.RowGroups[0].Columns[0].MetaData!.Statistics!;
        Assert.Equal("apple", Encoding.UTF8.GetString(statistics.MinValue!));
        Assert.Equal("plum", Encoding.UTF8.GetString(statistics.MaxValue!));
    }

    [Theory]
    [InlineData("abc", 8, "abc", "abc")]
    [InlineData("abcdefghij", 4, "abcd", "abce")]
    [InlineData("ab\u00e9\u00e9xyz", 4, "ab\u00e9", "ac")] // the cut never splits the two bytes of \u00e9
    [InlineData("a\u007f\u007fzz", 3, "a\u007f\u007f", "b")] // 0x7F cannot be raised within ASCII
    public void Bounds_are_short_valid_utf8_and_enclose_the_value(string value, int maxBytes, string lower, string upper)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);

        Assert.Equal(lower, Encoding.UTF8.GetString(Utf8StatisticsBound.LowerBound(bytes, maxBytes)));
        Assert.True(Utf8StatisticsBound.TryUpperBound(bytes, maxBytes, out byte[] bound));
        Assert.Equal(upper, Encoding.UTF8.GetString(bound));
        Assert.True(bound.AsSpan().SequenceCompareTo(bytes) >= 0);
    }

    [Fact]
    public void No_upper_bound_when_the_prefix_has_no_ascii_byte_to_raise()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(new string('\u00ff', 10));

        Assert.False(Utf8StatisticsBound.TryUpperBound(bytes, 4, out _));
    }
}
