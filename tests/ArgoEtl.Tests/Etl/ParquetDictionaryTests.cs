using System.Text;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Transform;
using Parquet;
using System.Globalization;
using PageEncoding = Parquet.Meta.Encoding;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// String columns with few distinct values are dictionary-encoded (as DuckDB, Arrow and Spark write them), and the
/// footer says where the dictionary page and the first data page are, as parquet.thrift has them (Parquet.Net 6.1,
/// which once wrote these chunks, pointed data_page_offset at the dictionary page and left dictionary_page_offset out).
/// </summary>
public sealed class ParquetDictionaryTests
{
    private static readonly string[] Cities = ["Seoul", "Busan", "Incheon", "Daegu", "Gwangju", "Daejeon"];

    // city: six values and some nulls; code: a different value on every row.
    private static string Csv(int rows)
    {
        var sb = new StringBuilder("id,city,code\n");
        for (int i = 0; i < rows; i++)
        {
            sb.Append(i).Append(',').Append(i % 7 == 0 ? "" : Cities[i % Cities.Length]).Append(",C-").Append(i.ToString("D6", CultureInfo.InvariantCulture)).Append('\n');
        }

        return sb.ToString();
    }

    private static byte[] Convert(string csv, int threads)
    {
        var output = new MemoryStream();
        var options = new TransformOptions { Schema = Schema("id:int32,city:string,code:string"), RowGroupSize = 5000, Threads = threads, Format = OutputFormat.Parquet };
        CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), output, options, "cities.csv");
        return output.ToArray();
    }

    // Dictionary indexes of every bit width from 1 to 13, in runs of every length (bit-packed between RLE runs,
    // a run cut by a group of eight, a last group padded), with nulls among them and non-ASCII entries.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 5)]
    [InlineData(64, 3)]
    [InlineData(65, 9)]
    [InlineData(120, 1)]
    [InlineData(257, 13)]
    [InlineData(1000, 2)]
    [InlineData(4000, 1)]
    public async Task Dictionary_columns_of_any_size_read_back_value_for_value(int distinct, int longestRun)
    {
        const int Rows = 20_003;
        var random = new Random(distinct * 31 + longestRun);
        var expected = new string?[Rows];
        for (int i = 0; i < Rows;)
        {
            string? value = random.Next(10) == 0 ? null : $"{(random.Next(2) == 0 ? "Müller" : "kim")}-{random.Next(distinct)}";
            for (int run = random.Next(1, longestRun + 1); run > 0 && i < Rows; run--)
            {
                expected[i++] = value;
            }
        }

        string csv = "id,name\n" + string.Concat(expected.Select((v, i) => $"{i},{v}\n"));
        var (_, columns, _, _) = await ToParquetAsync(csv, new TransformOptions { Schema = Schema("id:int32,name:string"), RowGroupSize = 20_000 });

        Assert.Equal(expected, columns["name"].Cast<string?>());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_low_cardinality_column_has_a_dictionary_page_where_the_footer_says(int threads)
    {
        const int Rows = 20_000;
        byte[] file = Convert(Csv(Rows), threads);

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        Assert.Equal(4, reader.RowGroupCount);
        int footerStart = ParquetPartStitcherTests.FooterStart(file);
        foreach (var group in reader.Metadata!.RowGroups)
        {
            var city = group.Columns[1].MetaData!;
            var code = group.Columns[2].MetaData!;
            Assert.Contains(PageEncoding.PLAIN_DICTIONARY, city.Encodings);
            Assert.NotNull(city.DictionaryPageOffset);
            Assert.True(city.DataPageOffset > city.DictionaryPageOffset);
            Assert.Equal(city.DictionaryPageOffset, group.Columns[1].FileOffset);

            // Every value differs: the first values sampled show it, and the column stays plain.
            Assert.DoesNotContain(PageEncoding.PLAIN_DICTIONARY, code.Encodings);
            Assert.Null(code.DictionaryPageOffset);

            // Each chunk walked page by page from its offsets: the dictionary page at dictionary_page_offset, a data
            // page at data_page_offset, chunk after chunk.
            foreach (var chunk in group.Columns)
            {
                ParquetPartStitcherTests.WalkChunk(file, footerStart, chunk.MetaData!);
            }
        }

        var (columns, _, _) = await ReadParquetAsync(new MemoryStream(file));
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => i % 7 == 0 ? null : Cities[i % Cities.Length]), columns["city"].Cast<string?>());
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => "C-" + i.ToString("D6", CultureInfo.InvariantCulture)), columns["code"].Cast<string?>());
    }

    [Fact]
    public async Task Dictionary_statistics_cover_every_value_of_the_chunk()
    {
        byte[] file = Convert(Csv(12_000), 2);

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        var statistics = reader.Metadata!.RowGroups[0].Columns[1].MetaData!.Statistics!;
        Assert.Equal("Busan", Encoding.UTF8.GetString(statistics.MinValue!));
        Assert.Equal("Seoul", Encoding.UTF8.GetString(statistics.MaxValue!));
        Assert.Equal(5000 / 7 + 1, statistics.NullCount);
    }
}
