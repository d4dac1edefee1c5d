using System.Globalization;
using System.Text;
using ArgoEtl.Etl;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Transform;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// The input is cut into chunks that several workers convert at once; what comes out must not show it. The oracle is
/// the one-reader path (lenient quotes reads the whole stream with one worker), which gives the same output for a file
/// whose quoting is valid. Files here are several NDJSON chunks long (256 KB each), and Parquet chunks are a row group.
/// </summary>
public sealed class ParallelConversionTests
{
    private const string WideSchema = "id:int64,name:string,score:int32,amount:double,active:boolean,signup:date,updated:timestamp,note:string";

    private sealed class Collector : IRejectSink
    {
        public List<(long Line, string? Column, string Reason)> Rows { get; } = [];

        public void Reject(long line, string? column, string reason, ReadOnlySpan<char> rowText) => Rows.Add((line, column, reason));
    }

    // ~2 MB: values in canonical and other forms, nulls, quoted fields with commas, quotes and line breaks, non-ASCII.
    private static string MixedCsv(int rows = 30_000, Func<int, string?>? replaceRow = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("id,name,score,amount,active,signup,updated,note\n");
        for (int i = 1; i <= rows; i++)
        {
            if (replaceRow?.Invoke(i) is { } replaced)
            {
                sb.Append(replaced).Append('\n');
                continue;
            }

            sb.Append(i).Append(',')
              .Append(i % 5 == 0 ? "\"김, 민수\"" : "name" + i).Append(',')
              .Append(i % 13 == 0 ? "" : (i % 101).ToString(inv)).Append(',')
              .Append(i % 3 == 0 ? (i / 7.0).ToString("R", inv) : (i % 1000 / 100.0).ToString("0.00", inv)).Append(',')
              .Append(i % 2 == 0 ? "true" : "N").Append(',')
              .Append(new DateOnly(2020, 1, 1).AddDays(i % 900).ToString(i % 4 == 0 ? "yyyy/MM/dd" : "yyyy-MM-dd", inv)).Append(',')
              .Append(new DateTime(2024, 1, 1).AddSeconds(i * 37).ToString(i % 6 == 0 ? "yyyy-MM-ddTHH:mm:ss.fffZ" : "yyyy-MM-dd HH:mm:ss", inv)).Append(',')
              .Append((i % 10) switch { 0 => "", 1 => "\"said \"\"hi\"\",\nthen left\"", 2 => "tab\there", _ => "order " + i })
              .Append(i % 17 == 0 ? "\r\n" : "\n");
        }

        return sb.ToString();
    }

    private static TransformOptions Options(int threads, string schema = WideSchema) => new() { Schema = Schema(schema), Threads = threads };

    private static TransformOptions OneReader(string schema = WideSchema) => new() { Schema = Schema(schema), Csv = CsvFormat.Default with { LenientQuotes = true } };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Ndjson_from_chunks_is_byte_for_byte_the_one_reader_output(int threads)
    {
        string csv = MixedCsv();
        Assert.True(Encoding.UTF8.GetByteCount(csv) > 8 * 256 * 1024, "the file must span many chunks");

        var (expectedStats, expected) = ToJson(csv, OneReader());
        var (stats, json) = ToJson(csv, Options(threads));

        Assert.Equal(30_000, stats.Rows);
        Assert.Equal(expectedStats.Rows, stats.Rows);
        Assert.Equal(expected, json);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Parquet_from_parallel_row_groups_holds_every_row_in_order_with_row_groups_of_the_size_asked(int threads)
    {
        string csv = MixedCsv(10_000);
        var (_, expected, _, _) = await ToParquetAsync(csv, OneReader() with { RowGroupSize = 1000 });
        var (stats, columns, _, groups) = await ToParquetAsync(csv, Options(threads) with { RowGroupSize = 1000 });

        Assert.Equal(10_000, stats.Rows);
        Assert.Equal(10, groups);
        Assert.Equal(expected.Keys, columns.Keys);
        foreach (var name in expected.Keys)
        {
            Assert.Equal(expected[name], columns[name]);
        }
    }

    [Fact]
    public void The_error_reported_is_the_first_in_the_file_whichever_worker_finds_one_first()
    {
        // Bad values early and late; the late chunk is small work, so its worker would win a race to report.
        string csv = MixedCsv(30_000, i => i switch { 2_500 => "2500,x,ten,1,true,2020-01-01,2024-01-01 00:00:00,", 29_000 => "29000,x,late,1,true,2020-01-01,2024-01-01 00:00:00,", _ => null });
        int line = LineOf(csv, "2500,x,ten");
        for (int attempt = 0; attempt < 5; attempt++)
        {
            var ex = Assert.Throws<EtlException>(() => ToJson(csv, Options(4)));
            Assert.Equal("CsvBadValue", ex.Code);
            Assert.Contains($"line {line},", ex.Message, StringComparison.Ordinal);
            Assert.Contains("'ten'", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Rejects_from_every_chunk_arrive_in_file_order_with_their_lines()
    {
        var bad = new HashSet<int> { 3, 4_000, 12_345, 20_001, 29_999 };
        string csv = MixedCsv(30_000, i => bad.Contains(i) ? $"{i},x,not-a-number,1,true,2020-01-01,2024-01-01 00:00:00," : null);
        var expected = new Collector();
        var (expectedStats, _) = ToJson(csv, OneReader() with { BadRows = BadRowMode.Skip }, expected);
        var rejects = new Collector();
        var (stats, json) = ToJson(csv, Options(4) with { BadRows = BadRowMode.Skip }, rejects);

        Assert.Equal(5, stats.RejectedRows);
        Assert.Equal(30_000 - 5, stats.Rows);
        Assert.Equal(expected.Rows, rejects.Rows);
        Assert.Equal(bad.Order().Select(i => (long)LineOf(csv, $"{i},x,not-a-number")), rejects.Rows.Select(r => r.Line));
        Assert.Equal(expectedStats.Rows, json.Count(c => c == '\n'));
    }

    [Theory]
    [InlineData(BadRowMode.Fail)]
    [InlineData(BadRowMode.Skip)]
    public async Task A_blank_line_that_ends_a_chunk_is_a_bad_row_when_rows_follow_in_the_next(BadRowMode mode)
    {
        // Parquet chunks are a row group of records: with 10, data line 11 (record 10 after the header) ends chunk one.
        // Two columns: in a one-column file a blank line is a null, not a bad row.
        var lines = Enumerable.Range(1, 30).Select(i => $"{i},{i}").ToList();
        lines[9] = "";
        string csv = "n,m\n" + string.Join('\n', lines) + "\n";
        var options = new TransformOptions { Schema = Schema("n:int32,m:int32"), RowGroupSize = 10, Threads = 3, BadRows = mode, Format = OutputFormat.Parquet };
        if (mode == BadRowMode.Fail)
        {
            var ex = Assert.Throws<EtlException>(() => CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new MemoryStream(), options, "test.csv"));
            Assert.Equal("CsvFieldCount", ex.Code);
            Assert.Contains("line 11:", ex.Message, StringComparison.Ordinal);
            return;
        }

        var rejects = new Collector();
        var output = new MemoryStream();
        var stats = CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), output, options, "test.csv", rejects);
        Assert.Equal(29, stats.Rows);
        Assert.Equal([11L], rejects.Rows.Select(r => r.Line));
        output.Position = 0;
        var (columns, _, _) = await ReadParquetAsync(output);
        Assert.Equal(lines.Where(l => l.Length > 0).Select(l => (object?)int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)), columns["n"]);
    }

    [Fact]
    public void Blank_lines_that_end_the_file_are_skipped_even_across_several_chunks()
    {
        string csv = "n,m\n" + string.Join('\n', Enumerable.Range(1, 25).Select(i => $"{i},{i}")) + "\n" + new string('\n', 35);
        var rejects = new Collector();
        var options = new TransformOptions { Schema = Schema("n:int32,m:int32"), RowGroupSize = 10, Threads = 3, Format = OutputFormat.Parquet };
        var stats = CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new MemoryStream(), options, "test.csv", rejects);
        Assert.Equal(25, stats.Rows);
        Assert.Equal(0, stats.RejectedRows);
        Assert.Empty(rejects.Rows);
    }

    [Fact]
    public void Blank_lines_spread_over_chunks_in_the_middle_fail_at_the_first_of_them()
    {
        // Records 8..22 blank: they end chunk one, fill chunk two and start chunk three, and row 23 follows.
        var lines = Enumerable.Range(1, 30).Select(i => i is >= 8 and <= 22 ? "" : $"{i},{i}");
        string csv = "n,m\n" + string.Join('\n', lines) + "\n";
        var options = new TransformOptions { Schema = Schema("n:int32,m:int32"), RowGroupSize = 5, Threads = 4, Format = OutputFormat.Parquet };
        var ex = Assert.Throws<EtlException>(() => CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new MemoryStream(), options, "test.csv"));
        Assert.Contains("line 9:", ex.Message, StringComparison.Ordinal);

        var rejects = new Collector();
        var stats = CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new MemoryStream(), options with { BadRows = BadRowMode.Skip }, "test.csv", rejects);
        Assert.Equal(15, stats.Rows);
        Assert.Equal(Enumerable.Range(9, 15).Select(l => (long)l), rejects.Rows.Select(r => r.Line));
    }

    [Fact]
    public void A_failing_input_stream_fails_the_run_after_the_chunks_read_before_it_and_nothing_hangs()
    {
        var bytes = Encoding.UTF8.GetBytes(MixedCsv());
        var input = new FailingStream(bytes, failAfter: bytes.Length / 2);
        var written = new MemoryStream();
        var ex = Assert.Throws<IOException>(() => CsvTransformer.Transform(input, written, Options(3) with { Format = OutputFormat.Json }, "test.csv"));
        Assert.Equal("connection reset", ex.Message);
        Assert.True(written.Length > 0, "the chunks before the failure were written (to the temp output the caller throws away)");
    }

    [Fact]
    public void Cancelling_stops_the_workers_and_returns()
    {
        var bytes = Encoding.UTF8.GetBytes(MixedCsv());
        using var cancel = new CancellationTokenSource();
        long seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => CsvTransformer.Transform(new MemoryStream(bytes), new MemoryStream(), Options(4) with { Format = OutputFormat.Json },
            "test.csv", onRows: rows =>
            {
                seen = rows;
                cancel.Cancel();
            }, cancellationToken: cancel.Token));
        Assert.True(seen > 0 && seen < 30_000, $"stopped after {seen} rows");
    }

    [Fact]
    public async Task A_worker_that_cannot_start_fails_the_run_with_its_cause_instead_of_leaving_its_chunks_unwritten()
    {
        var bytes = Encoding.UTF8.GetBytes(MixedCsv(5_000));
        var options = Options(2) with { Format = OutputFormat.Json };
        var schema = options.Schema!;
        var chunker = new RecordChunker(new MemoryStream(bytes), quoted: true);
        chunker.Next(1, int.MaxValue)!.Release();
        IEnumerable<ConversionPipeline.ReaderWork> Chunks()
        {
            while (chunker.Next(int.MaxValue, 64 << 10) is { } chunk)
            {
                yield return new ConversionPipeline.ReaderWork(text => CsvReaderFactory.OpenChunk(chunk, options.Csv, text), LineMapping.ForChunk(chunk), chunk.Release);
            }
        }

        int started = 0;
        var fieldOf = Enumerable.Range(0, schema.Count).ToArray();
        IRowEncoder NewEncoder() => Interlocked.Increment(ref started) == 2
            ? throw new InvalidOperationException("no memory for the second worker")
            : new NdjsonRowWriter(schema, fieldOf, quoted: true, 1 << 20);

        var run = Task.Run(() => ConversionPipeline.Run(Chunks(), 2, new RowLoop(schema, fieldOf, options, "test.csv", keepRejects: false), NewEncoder,
            new NdjsonAssembler(new MemoryStream()), fieldOf.Length, options, "test.csv", null, null, CancellationToken.None));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("no memory for the second worker", ex.Message);
    }

    [Theory]
    [InlineData(OutputFormat.Json)]
    [InlineData(OutputFormat.Parquet)]
    public void A_file_whose_lines_end_in_lone_carriage_returns_converts_every_row(OutputFormat format)
    {
        // "CSV (Macintosh)" from Excel: CR only. The header is the first record, not the whole file.
        string csv = "n,name\r" + string.Join('\r', Enumerable.Range(1, 5000).Select(i => $"{i},n{i}")) + "\r";
        var options = new TransformOptions { Schema = Schema("n:int32,name:string"), Threads = 2, RowGroupSize = 700, Format = format };
        var stats = CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv)), new MemoryStream(), options, "mac.csv");
        Assert.Equal(5000, stats.Rows);

        var ex = Assert.Throws<EtlException>(() => CsvTransformer.Transform(new MemoryStream(Encoding.UTF8.GetBytes(csv.Replace("\r4000,", "\r4000x,", StringComparison.Ordinal))),
            new MemoryStream(), options, "mac.csv"));
        Assert.Contains("line 4001,", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_escaped_strings_never_overrun_the_line_buffer()
    {
        // Emoji and control characters escape to six bytes per char; rows of them at every fill level of the buffer.
        string heavy = string.Concat(Enumerable.Repeat("😀\u0001", 3000));
        var sb = new StringBuilder("id,text,tail\n");
        for (int i = 0; i < 400; i++)
        {
            sb.Append(i).Append(',').Append(i % 3 == 0 ? heavy : "plain " + i).Append(',').Append(new string('t', 200 + i)).Append('\n');
        }

        var (stats, json) = ToJson(sb.ToString(), new TransformOptions { Schema = Schema("id:int32,text:string,tail:string"), Threads = 2 });
        Assert.Equal(400, stats.Rows);
        var lines = json.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(400, lines.Length);
        for (int i = 0; i < 400; i++)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(lines[i]);
            Assert.Equal(i % 3 == 0 ? heavy : "plain " + i, doc.RootElement.GetProperty("text").GetString());
            Assert.Equal(200 + i, doc.RootElement.GetProperty("tail").GetString()!.Length);
        }
    }

    [Fact]
    public void Emoji_next_to_line_breaks_decode_as_a_reader_of_the_whole_file_decodes_them()
    {
        // Sep reads one char after each CR; an emoji there is two chars.
        var sb = new StringBuilder("a,b\r\n");
        for (int i = 0; i < 20_000; i++)
        {
            sb.Append("😀").Append(i).Append(",😀😀\r\n");
        }

        string csv = sb.ToString();
        var (_, expected) = ToJson(csv, OneReader("a:string,b:string"));
        var (stats, json) = ToJson(csv, Options(2, "a:string,b:string"));
        Assert.Equal(20_000, stats.Rows);
        Assert.Equal(expected, json);
    }

    private static int LineOf(string csv, string rowStart)
    {
        int at = csv.IndexOf("\n" + rowStart, StringComparison.Ordinal);
        Assert.True(at >= 0, rowStart);

        // Sep counts a line feed, a CR LF pair or a lone CR as one line break; this file has no lone CR.
        return csv.AsSpan(0, at + 1).Count('\n') + 1;
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= failAfter)
            {
                throw new IOException("connection reset");
            }

            return base.Read(buffer, offset, (int)Math.Min(count, failAfter - Position));
        }
    }
}
