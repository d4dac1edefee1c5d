using System.Text.Json;
using ArgoEtl.Etl;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Schema;
using ArgoEtl.Etl.Transform;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

public sealed class CsvConversionTests
{
    private static JsonElement[] Lines(string ndjson) =>
        ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();

    [Fact]
    public void Rfc4180_quotes_escaped_quotes_embedded_newlines_and_crlf()
    {
        string csv = "id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n4,plain\r\n";
        var (stats, json) = ToJson(csv, new TransformOptions { Schema = Schema("id:int32,text:string") });

        var rows = Lines(json);
        Assert.Equal(4, stats.Rows);
        Assert.Equal(["a, b", "say \"hi\"", "two\r\nlines", "plain"], rows.Select(r => r.GetProperty("text").GetString()!));
        Assert.Equal([1, 2, 3, 4], rows.Select(r => r.GetProperty("id").GetInt32()));
    }

    [Fact]
    public void Lf_only_and_missing_final_newline_and_bom_are_accepted()
    {
        var (stats, json) = ToJson("no,name\n1,a\n2,b", bom: true);
        Assert.Equal(2, stats.Rows);
        Assert.Equal("no", stats.Schema.Columns[0].Name);
        Assert.Equal("{\"no\":1,\"name\":\"a\"}\n{\"no\":2,\"name\":\"b\"}\n", json);
    }

    [Fact]
    public void Empty_file_gives_empty_json_and_a_clear_parquet_error_without_schema()
    {
        var (stats, json) = ToJson(string.Empty);
        Assert.Equal(0, stats.Rows);
        Assert.Equal(string.Empty, json);

        var ex = Assert.Throws<EtlException>(() => CsvTransformer.Transform(new MemoryStream(), new MemoryStream(),
            new TransformOptions { Format = ArgoEtl.Etl.Output.OutputFormat.Parquet }, "empty.csv"));
        Assert.Equal("CsvNoColumns", ex.Code);
    }

    [Fact]
    public async Task Header_only_file_with_schema_gives_a_valid_parquet_file_with_columns()
    {
        var (stats, columns, schema, groups) = await ToParquetAsync("no,name\n", new TransformOptions { Schema = Schema("no:int64,name:string") });
        Assert.Equal(0, stats.Rows);
        Assert.Equal(0, groups);
        Assert.Equal(["no", "name"], schema.DataFields.Select(f => f.Name));
        Assert.Empty(columns["no"]);
    }

    [Fact]
    public void Empty_field_is_null_but_quoted_empty_string_stays_a_string()
    {
        var (_, json) = ToJson("a,b,c\n,\"\",1\n", new TransformOptions { Schema = Schema("a:string,b:string,c:int32") });
        var row = Lines(json).Single();
        Assert.Equal(JsonValueKind.Null, row.GetProperty("a").ValueKind);
        Assert.Equal(string.Empty, row.GetProperty("b").GetString());
    }

    [Fact]
    public void Json_escapes_control_characters_and_keeps_unicode_readable()
    {
        var (_, json) = ToJson("name\n\"tab\there \\ back\"\n최유나\n", new TransformOptions { Schema = Schema("name:string") });
        Assert.Contains("\"tab\\there \\\\ back\"", json, StringComparison.Ordinal);
        Assert.Contains("최유나", json, StringComparison.Ordinal);
        Assert.All(Lines(json), l => Assert.Equal(JsonValueKind.Object, l.ValueKind));
    }

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The NDJSON writer formats values itself for speed; System.Text.Json is the reference for every byte it writes.
    [Theory]
    [InlineData("string", "plain text", null)]
    [InlineData("string", "\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("string", "back\\slash", null)]
    [InlineData("string", "최유나 São 🎉", null)]
    [InlineData("string", "\"bell\u0007 and\ttab\"", "bell\u0007 and\ttab")]
    [InlineData("string", "<html> & 'x' \u2028", null)]
    [InlineData("int32", "-2147483648", null)]
    [InlineData("int32", "2147483647", null)]
    [InlineData("int32", "+12", null)]
    [InlineData("int32", "0042", null)]
    [InlineData("int32", "-0", null)]
    [InlineData("int64", "-9223372036854775808", null)]
    [InlineData("int64", "\"17\"", "17")]
    [InlineData("int64", "9223372036854775807", null)]
    [InlineData("double", "0.1", null)]
    [InlineData("double", "-1e300", null)]
    [InlineData("double", "123456789.125", null)]
    [InlineData("double", "1.50", null)]
    [InlineData("double", "0.00001", null)]
    [InlineData("double", "0.0001", null)]
    [InlineData("double", "-0", null)]
    [InlineData("double", "007", null)]
    [InlineData("double", "1234567.12345678", null)]
    [InlineData("double", "0.30000000000000004", null)]
    [InlineData("double", "\"2.5\"", "2.5")]
    [InlineData("boolean", "yes", null)]
    [InlineData("date", "0099-01-02", null)]
    [InlineData("date", "2024/02/29", null)]
    [InlineData("date", "2024-02-29", null)]
    [InlineData("date", "\"2024-12-31\"", "2024-12-31")]
    [InlineData("timestamp", "2024-02-29 23:59:59", null)]
    [InlineData("timestamp", "2024-02-29T00:00:00", null)]
    [InlineData("timestamp", "2024-02-29T23:59:59Z", null)]
    [InlineData("timestamp", "\"2024-02-29 23:59:59\"", "2024-02-29 23:59:59")]
    [InlineData("timestamp", "2024-02-29 23:59", null)]
    [InlineData("timestamp", "2024-02-29T23:59:59.1200000+09:00", null)]
    [InlineData("timestamp", "2024-02-29T23:59:59.0000001Z", null)]
    public void Json_values_are_byte_for_byte_what_System_Text_Json_writes(string type, string field, string? unquoted)
    {
        var (_, json) = ToJson($"v\n{field}\n", new TransformOptions { Schema = Schema($"v:{type}") });

        string text = unquoted ?? field;
        object value = type switch
        {
            "string" => text,
            "int32" => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            "int64" => long.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            "double" => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            "boolean" => true,
            "date" => DateOnly.ParseExact(text.Replace('/', '-'), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            _ => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal),
        };
        string expected = "{\"v\":" + JsonSerializer.Serialize(value, value.GetType(), RelaxedJson) + "}\n";
        Assert.Equal(expected, json);
    }

    // Plain text is copied eight chars at a time with the last eight overlapping: a char that needs escaping, or is
    // not ASCII, must be found wherever it stands in a field of any length, quoted in the CSV or not.
    [Fact]
    public void A_char_that_needs_escaping_is_found_at_every_place_in_fields_of_every_length()
    {
        char[] specials = ['"', '\\', '\u0001', '\u001F', '\u007F', '\u0080', 'é', '한', ' ', '~', ',', '\n'];
        var values = new List<string>();
        foreach (int length in new[] { 1, 2, 7, 8, 9, 15, 16, 17, 24, 33 })
        {
            for (int at = 0; at < length; at++)
            {
                foreach (char special in specials)
                {
                    var chars = Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))).ToArray();
                    chars[at] = special;
                    values.Add(new string(chars));
                }
            }
        }

        string csv = "v\n" + string.Concat(values.Select(v => (v.IndexOfAny(['"', ',', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v) + "\n"));
        var (_, json) = ToJson(csv, new TransformOptions { Schema = Schema("v:string") });

        var expected = values.Select(v => "{\"v\":" + JsonSerializer.Serialize(v, RelaxedJson) + "}");
        Assert.Equal(expected, json.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("date", "2023-02-29")]
    [InlineData("date", "2024-13-01")]
    [InlineData("date", "2024-00-10")]
    [InlineData("date", "0000-01-01")]
    [InlineData("date", "2024-1a-01")]
    [InlineData("timestamp", "2023-02-29 10:00:00")]
    [InlineData("timestamp", "2024-01-01 24:00:00")]
    [InlineData("timestamp", "2024-01-01 10:60:00")]
    [InlineData("timestamp", "2024-01-01T10:00:60Z")]
    [InlineData("timestamp", "2024-01-32T00:00:00Z")]
    public void Dates_and_times_in_the_copied_form_are_still_checked(string type, string field)
    {
        // NDJSON copies yyyy-MM-dd and yyyy-MM-dd HH:mm:ss fields as they are: only real days and times may pass.
        var ex = Assert.Throws<EtlException>(() => ToJson($"v\n{field}\n", new TransformOptions { Schema = Schema($"v:{type}") }));
        Assert.Equal("CsvBadValue", ex.Code);
        Assert.Contains($"'{field}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parquet_round_trip_keeps_values_types_and_nulls()
    {
        string csv = """
            no,name,score,ratio,passed,day,at
            1,Kim,87,0.5,true,2023-04-01,2023-04-01T09:15:00Z
            2,,,,,,
            3000000000,"Lee, J",-5,1e3,false,2024-02-29,2024-02-29 23:59:59.123
            """;
        var options = new TransformOptions { Schema = Schema("no:int64,name:string,score:int32,ratio:double,passed:boolean,day:date,at:timestamp") };
        var (stats, columns, schema, _) = await ToParquetAsync(csv, options);

        Assert.Equal(3, stats.Rows);
        Assert.Equal(new object?[] { 1L, 2L, 3000000000L }, columns["no"]);
        Assert.Equal(new object?[] { "Kim", null, "Lee, J" }, columns["name"]);
        Assert.Equal(new object?[] { 87, null, -5 }, columns["score"]);
        Assert.Equal(new object?[] { 0.5, null, 1000.0 }, columns["ratio"]);
        Assert.Equal(new object?[] { true, null, false }, columns["passed"]);
        Assert.Equal(new DateTime(2023, 4, 1), (DateTime)columns["day"][0]!);
        Assert.Null(columns["day"][1]);
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 59, 123, DateTimeKind.Utc), ((DateTime)columns["at"][2]!).ToUniversalTime());
        Assert.Equal(typeof(long), schema.DataFields[0].ClrType);
        Assert.Equal(typeof(int), schema.DataFields[2].ClrType);
        Assert.True(schema.DataFields.All(f => f.IsNullable));
    }

    [Fact]
    public async Task Parquet_logical_types_are_date_timestamp_and_string()
    {
        var output = new MemoryStream();
        CsvTransformer.Transform(new MemoryStream("d,t,s\n2023-01-01,2023-01-01T00:00:00Z,x\n"u8.ToArray()), output,
            new TransformOptions { Format = ArgoEtl.Etl.Output.OutputFormat.Parquet, Schema = Schema("d:date,t:timestamp,s:string") }, "t.csv");
        output.Position = 0;
        await using var reader = await Parquet.ParquetReader.CreateAsync(output);
        var elements = reader.Metadata!.Schema.Where(e => e.Name != "root").ToArray();
        Assert.NotNull(elements[0].LogicalType?.DATE);
        Assert.NotNull(elements[1].LogicalType?.TIMESTAMP);
        Assert.True(elements[1].LogicalType!.TIMESTAMP!.IsAdjustedToUTC);
        Assert.NotNull(elements[2].LogicalType?.STRING);
    }

    [Fact]
    public async Task Row_groups_follow_the_row_group_size()
    {
        string csv = "n\n" + string.Join('\n', Enumerable.Range(1, 10)) + "\n";
        var (stats, columns, _, groups) = await ToParquetAsync(csv, new TransformOptions { Schema = Schema("n:int32"), RowGroupSize = 4 });
        Assert.Equal(10, stats.Rows);
        Assert.Equal(3, groups);
        Assert.Equal(Enumerable.Range(1, 10).Cast<object?>(), columns["n"]);
    }

    [Fact]
    public void Inference_picks_the_narrowest_type_and_reports_it()
    {
        var (stats, _) = ToJson("a,b,c,d,e,f,g,h\n1,3000000000,1.5,true,2023-01-01,2023-01-01 10:00:00,x,\n2,1,2,false,2023-01-02,2023-01-01T10:00:00Z,1,\n");
        Assert.True(stats.SchemaInferred);
        Assert.Equal("a:int32,b:int64,c:double,d:boolean,e:date,f:timestamp,g:string,h:string", stats.Schema.ToString());
    }

    [Fact]
    public void Inference_of_a_large_input_ignores_the_cut_off_last_sample_row()
    {
        // Past the 4 MB sample, a row may be cut in half; it must not turn an int column into a string.
        var lines = Enumerable.Range(0, 400_000).Select(i => $"{i},{i % 7}");
        var (stats, _) = ToJson("a,b\n" + string.Join('\n', lines) + "\n");
        Assert.Equal("a:int32,b:int32", stats.Schema.ToString());
        Assert.Equal(400_000, stats.Rows);
    }

    [Fact]
    public void No_header_names_columns_from_the_schema()
    {
        var (stats, json) = ToJson("1;x\n2;y\n", new TransformOptions { Csv = new CsvFormat { HasHeader = false, Delimiter = ';' }, Schema = Schema("id:int32,v:string") });
        Assert.Equal(2, stats.Rows);
        Assert.StartsWith("{\"id\":1,\"v\":\"x\"}", json, StringComparison.Ordinal);
    }
}
