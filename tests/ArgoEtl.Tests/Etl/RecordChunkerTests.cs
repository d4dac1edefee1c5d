using System.Text;
using ArgoEtl.Etl.Csv;
using nietras.SeparatedValues;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// The chunker against Sep, the parser the chunks go to: every chunk must hold whole records (Sep reads the same rows
/// from the chunks as from the whole text) and start on the line Sep numbers that record with.
/// </summary>
public class RecordChunkerTests
{
    private static List<(string Text, int FirstLine)> Cut(byte[] bytes, int maxRecords, int maxBytes, bool quoted = true, int readBlock = 0)
    {
        Stream input = new MemoryStream(bytes);
        if (readBlock > 0)
        {
            input = new TrickleStream(bytes, readBlock);
        }

        var chunker = new RecordChunker(input, quoted);
        var chunks = new List<(string, int)>();
        while (chunker.Next(maxRecords, maxBytes) is { } chunk)
        {
            chunks.Add((Encoding.UTF8.GetString(chunk.Buffer, 0, chunk.Length), chunk.FirstLine));
            chunk.Release();
        }

        return chunks;
    }

    private static List<(string Row, int Line)> SepRows(string text, int firstLine = 1)
    {
        var options = new SepReaderOptions(new Sep(',')) { HasHeader = false, DisableColCountCheck = true, Unescape = false };
        using var reader = options.From(new StringReader(text));
        var rows = new List<(string, int)>();
        bool first = true;
        foreach (var row in reader)
        {
            // Sep numbers a reader's first row at its last line; the chunker's FirstLine is where it starts.
            rows.Add((row.Span.ToString(), first ? firstLine : row.LineNumberFrom + firstLine - 1));
            first = false;
        }

        return rows;
    }

    private static List<(string Row, int Line)> WholeFileRows(string text)
    {
        var rows = SepRows(text);
        if (rows.Count > 0)
        {
            rows[0] = (rows[0].Row, 1);
        }

        return rows;
    }

    [Theory]
    [InlineData(1, int.MaxValue)]
    [InlineData(2, int.MaxValue)]
    [InlineData(3, int.MaxValue)]
    [InlineData(int.MaxValue, 1)]
    [InlineData(int.MaxValue, 7)]
    public void Chunks_hold_whole_records_even_with_line_breaks_and_quotes_inside_fields(int maxRecords, int maxBytes)
    {
        string text = "id,note\n1,\"two\nlines\"\n2,\"a \"\"quoted\"\", word\"\r\n3,\"x\r\ny\"\r\n4,plain\n5,\"\"\"\"\n6,\"ends with newline\n\"\n7,last";
        var chunks = Cut(Encoding.UTF8.GetBytes(text), maxRecords, maxBytes);

        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        var fromChunks = chunks.SelectMany(c => SepRows(c.Text, c.FirstLine)).ToList();
        Assert.Equal(WholeFileRows(text), fromChunks);
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith("\n", c.Text, StringComparison.Ordinal));
        if (maxRecords < int.MaxValue)
        {
            // Eight records: cut after exactly maxRecords each.
            Assert.Equal((8 + maxRecords - 1) / maxRecords, chunks.Count);
            Assert.All(chunks.SkipLast(1), c => Assert.Equal(maxRecords, SepRows(c.Text).Count));
        }
    }

    [Fact]
    public void Record_counts_are_exact_across_reads_and_count_blocks()
    {
        // Rows of varying length, a read size that splits rows, and more rows than one 4 KB count block holds.
        var sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
        {
            sb.Append(i).Append(",name").Append(i % 7 == 0 ? ",\"q,\n\"" : ",x").Append('\n');
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var chunks = Cut(bytes, 1000, int.MaxValue, readBlock: 777);

        Assert.Equal(20, chunks.Count);
        Assert.All(chunks, c => Assert.Equal(1000, SepRows(c.Text).Count));
        Assert.Equal(WholeFileRows(sb.ToString()), chunks.SelectMany(c => SepRows(c.Text, c.FirstLine)).ToList());
    }

    [Fact]
    public void A_byte_order_mark_at_the_start_is_dropped_and_one_later_is_kept()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("a,b\n\uFEFFc,d\n")).ToArray();
        var chunks = Cut(bytes, 1, int.MaxValue);
        Assert.Equal(["a,b\n", "\uFEFFc,d\n"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Lone_carriage_returns_end_records_and_count_as_lines_as_the_parser_counts_them()
    {
        string text = "a\rb\nc\r\nd\n\"e\rf\"\ng\n";
        var chunks = Cut(Encoding.UTF8.GetBytes(text), 1, int.MaxValue);
        Assert.Equal(WholeFileRows(text), chunks.SelectMany(c => SepRows(c.Text, c.FirstLine)).ToList());
        Assert.Equal(["a\r", "b\n", "c\r\n", "d\n", "\"e\rf\"\n", "g\n"], chunks.Select(c => c.Text));
        Assert.Equal([1, 2, 3, 4, 5, 7], chunks.Select(c => c.FirstLine));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void A_carriage_return_that_ends_a_read_waits_for_the_next_byte(int readBlock)
    {
        // Reads that stop right after a CR: CR LF must stay one record end, a lone CR must be one.
        string text = "h1,h2\r\n1,2\r3,4\r\n5,6\r7,8";
        var chunks = Cut(Encoding.UTF8.GetBytes(text), 1, int.MaxValue, readBlock: readBlock);
        Assert.Equal(["h1,h2\r\n", "1,2\r", "3,4\r\n", "5,6\r", "7,8"], chunks.Select(c => c.Text));
        Assert.Equal(WholeFileRows(text), chunks.SelectMany(c => SepRows(c.Text, c.FirstLine)).ToList());
    }

    [Fact]
    public void A_byte_order_mark_read_a_byte_at_a_time_is_still_dropped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("a,b\nc,d\n")).ToArray();
        Assert.Equal(["a,b\n", "c,d\n"], Cut(bytes, 1, int.MaxValue, readBlock: 1).Select(c => c.Text));
    }

    [Fact]
    public void Characters_outside_the_BMP_decode_even_when_the_parser_asks_for_one_char()
    {
        var bytes = Encoding.UTF8.GetBytes("😀a😀😀\r\n");
        var reader = new Utf8ChunkReader();
        reader.Reset(new RecordChunk(bytes, bytes.Length, 0, 1));
        var text = new StringBuilder();
        Span<char> one = stackalloc char[1];
        while (reader.Read(one) == 1)
        {
            text.Append(one[0]);
        }

        Assert.Equal("😀a😀😀\r\n", text.ToString());
    }

    [Fact]
    public void Without_quoting_every_line_feed_ends_a_record()
    {
        var chunks = Cut(Encoding.UTF8.GetBytes("a\"b\nc\nd\"e\n"), 1, int.MaxValue, quoted: false);
        Assert.Equal(["a\"b\n", "c\n", "d\"e\n"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void An_unclosed_quote_keeps_the_rest_of_the_stream_in_one_chunk_for_the_parser_to_report()
    {
        var chunks = Cut(Encoding.UTF8.GetBytes("a\n\"open\nb\nc\n"), 1, int.MaxValue);
        Assert.Equal(["a\n", "\"open\nb\nc\n"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void A_record_longer_than_the_buffer_is_kept_whole()
    {
        string big = new('x', 5 << 20);
        string text = $"1,{big}\n2,\"{big}\n{big}\"\n3,z\n";
        var chunks = Cut(Encoding.UTF8.GetBytes(text), 1, 1024);
        Assert.Equal(3, chunks.Count);
        Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        Assert.Equal([1, 2, 4], chunks.Select(c => c.FirstLine));
    }

    [Fact]
    public void An_empty_stream_has_no_chunks()
    {
        Assert.Empty(Cut([], 10, 10));
        Assert.Empty(Cut(Encoding.UTF8.GetPreamble(), 10, 10));
    }

    // A network stream: it returns fewer bytes than asked.
    private sealed class TrickleStream(byte[] data, int block) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, block));
    }
}
