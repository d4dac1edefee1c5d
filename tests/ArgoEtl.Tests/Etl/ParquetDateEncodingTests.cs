using System.Text;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Transform;
using Parquet;
using Parquet.Schema;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// Dates and timestamps go to Parquet.Net as plain INT32 days and INT64 microseconds since the epoch (its DateOnly and
/// DateTime encoders cost a tenth of a wide file's instructions), and the footer gets the logical types back: the schema
/// must be the one Parquet.Net writes for DateOnly and for a UTC microsecond timestamp, so readers see no change.
/// </summary>
public sealed class ParquetDateEncodingTests
{
    private const string Csv = "d,ts,n\n1969-12-31,1969-12-31 23:59:59,1\n,2024-02-29T12:34:56.789123Z,2\n0001-01-01,9999-12-31 23:59:59,3\n2024-02-29,,4\n";

    private static readonly DataField[] ParquetNetFields =
    [
        new DataField<DateOnly?>("d"),
        new DateTimeDataField("ts", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DataField<int?>("n"),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Schema_elements_are_those_Parquet_Net_writes_for_dates_and_timestamps(int threads)
    {
        var output = new MemoryStream();
        var options = new TransformOptions { Schema = Schema("d:date,ts:timestamp,n:int32"), Threads = threads, RowGroupSize = 2, Format = OutputFormat.Parquet };
        CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), output, options, "dates.csv");

        var reference = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(ParquetNetFields), reference))
        {
        }

        var ours = await SchemaElementsAsync(output.ToArray());
        var theirs = await SchemaElementsAsync(reference.ToArray());
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public async Task Dates_and_timestamps_read_back_at_the_edges_of_their_range()
    {
        var (_, columns, _, _) = await ToParquetAsync(Csv, new TransformOptions { Schema = Schema("d:date,ts:timestamp,n:int32") });

        // Parquet.Net reads a DATE as a DateTime at midnight unless asked for DateOnly.
        Assert.Equal([new DateTime(1969, 12, 31), null, DateTime.MinValue, new DateTime(2024, 2, 29)], columns["d"].Cast<DateTime?>());
        Assert.Equal(
            [
                new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc),
                new DateTime(2024, 2, 29, 12, 34, 56, DateTimeKind.Utc).AddTicks(7_891_230),
                new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc),
                null,
            ],
            columns["ts"].Cast<DateTime?>());
    }

    // Each leaf's physical type, converted type and logical type as the file's footer gives them.
    private static async Task<string[]> SchemaElementsAsync(byte[] file)
    {
        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(file));
        return reader.Metadata!.Schema.Skip(1).Select(e =>
            $"{e.Name} {e.Type} {e.ConvertedType} date={e.LogicalType?.DATE is not null} " +
            $"timestamp={(e.LogicalType?.TIMESTAMP is { } t ? $"{t.IsAdjustedToUTC}/{t.Unit.MICROS is not null}" : "-")} " +
            $"integer={e.LogicalType?.INTEGER is not null}").ToArray();
    }
}
