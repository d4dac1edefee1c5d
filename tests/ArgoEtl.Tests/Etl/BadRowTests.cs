using ArgoEtl.Etl.Transform;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

public sealed class BadRowTests
{
    private sealed class Collector : IRejectSink
    {
        public List<(long Line, string? Column, string Reason, string Row)> Rows { get; } = [];

        public void Reject(long line, string? column, string reason, ReadOnlySpan<char> rowText) => Rows.Add((line, column, reason, rowText.ToString()));
    }

    [Fact]
    public void A_bad_value_fails_with_the_line_column_and_text()
    {
        var ex = Assert.Throws<EtlException>(() => ToJson("no,name,score\n1,a,10\n2,b,ten\n", new TransformOptions { Schema = Schema("no:int64,name:string,score:int32") }));
        Assert.Equal("CsvBadValue", ex.Code);
        Assert.Equal(EtlErrorKind.InvalidData, ex.Kind);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'score'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'ten'", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(ex.Suggestion);
    }

    [Fact]
    public void A_wrong_field_count_fails_with_the_line_of_the_row_after_a_multiline_field()
    {
        var ex = Assert.Throws<EtlException>(() => ToJson("a,b\n1,\"x\ny\"\n2,z,extra\n", new TransformOptions { Schema = Schema("a:int32,b:string") }));
        Assert.Equal("CsvFieldCount", ex.Code);
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected 2 fields, found 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_mode_leaves_bad_rows_out_and_reports_each_with_its_reason()
    {
        var rejects = new Collector();
        var (stats, json) = ToJson("no,score\n1,10\n2,ten\n3\n4,40\n",
            new TransformOptions { Schema = Schema("no:int32,score:int32"), BadRows = BadRowMode.Skip }, rejects);

        Assert.Equal(2, stats.Rows);
        Assert.Equal(2, stats.RejectedRows);
        Assert.Equal("{\"no\":1,\"score\":10}\n{\"no\":4,\"score\":40}\n", json);
        Assert.Equal((3L, "score"), (rejects.Rows[0].Line, rejects.Rows[0].Column));
        Assert.Equal("2,ten", rejects.Rows[0].Row);
        Assert.Equal(4L, rejects.Rows[1].Line);
        Assert.Null(rejects.Rows[1].Column);
    }

    [Fact]
    public async Task Skip_mode_takes_back_a_partly_parsed_row_so_columns_stay_aligned()
    {
        // The bad value is in the last column: the values already appended for the row must be removed.
        var (stats, columns, _, _) = await ToParquetAsync("a,b,c\nx,1,2\ny,2,bad\nz,3,4\n",
            new TransformOptions { Schema = Schema("a:string,b:int32,c:int32"), BadRows = BadRowMode.Skip });
        Assert.Equal(2, stats.Rows);
        Assert.Equal(new object?[] { "x", "z" }, columns["a"]);
        Assert.Equal(new object?[] { 1, 3 }, columns["b"]);
        Assert.Equal(new object?[] { 2, 4 }, columns["c"]);
    }

    [Fact]
    public async Task Skip_mode_takes_back_a_row_whose_earlier_fields_were_null_or_strings()
    {
        // Row 3 has a null int and a string before the bad value: only what was really appended is taken back.
        var (stats, columns, _, _) = await ToParquetAsync("a,b,c,d\nx,1,p,2\ny,,q,bad\nz,3,r,4\n",
            new TransformOptions { Schema = Schema("a:string,b:int32,c:string,d:int32"), BadRows = BadRowMode.Skip });
        Assert.Equal(2, stats.Rows);
        Assert.Equal(new object?[] { "x", "z" }, columns["a"]);
        Assert.Equal(new object?[] { 1, 3 }, columns["b"]);
        Assert.Equal(new object?[] { "p", "r" }, columns["c"]);
        Assert.Equal(new object?[] { 2, 4 }, columns["d"]);
    }

    [Fact]
    public void A_failing_output_surfaces_the_writers_error_not_a_cancellation()
    {
        string csv = "n\n" + string.Join('\n', Enumerable.Range(0, 100_000)) + "\n";
        var ex = Assert.Throws<IOException>(() => ArgoEtl.Etl.Transform.CsvTransformer.Transform(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), new FailingStream(),
            new TransformOptions { Schema = Schema("n:int32") }, "big.csv"));
        Assert.Equal("disk full", ex.Message);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("disk full");

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("disk full");
    }

    [Fact]
    public void Header_that_does_not_match_the_schema_is_reported()
    {
        var ex = Assert.Throws<EtlException>(() => ToJson("a,b,c\n1,2,3\n", new TransformOptions { Schema = Schema("a:int32,b:int32") }));
        Assert.Equal("CsvHeaderMismatch", ex.Code);
    }

    [Theory]
    [InlineData("no:int99", "SchemaUnknownType")]
    [InlineData("no:int32,,x", "SchemaInvalid")]
    [InlineData("a,a", "SchemaDuplicateColumn")]
    public void Bad_schemas_are_rejected_with_a_stable_code(string schema, string code)
    {
        var ex = Assert.Throws<EtlException>(() => Schema(schema));
        Assert.Equal(code, ex.Code);
    }
}
