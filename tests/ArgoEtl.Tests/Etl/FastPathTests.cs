using System.Globalization;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Transform;
using static ArgoEtl.Tests.Etl.TransformTestKit;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// The digit-by-digit number readers must give exactly what the general .NET parsers give (the same bits for doubles),
/// and leave everything unusual to them; integers now go to Parquet delta-encoded and must read back unchanged.
/// </summary>
public sealed class FastPathTests
{
    public static TheoryData<string> Decimals() =>
    [
        "0", "-0", "0.0", "-0.0", "1", "-1", "12345.67", "-12345.67", "0.1", "0.2", "0.3", "3.14159", "2.5", "1.005",
        "123456789012345", "999999999999999", "99999999999999.9", "0.000000000000001", "1234567890123456", "0.1000000000000001",
        "9007199254740993", "00012.50", "1.", ".5", "-.5", "-", ".", "1e5", "1E-5", "+1.5", " 1.5", "1.5 ", "1,5", "1..5",
        "NaN", "Infinity", "-Infinity", "4.9e-324", "1.7976931348623157e308", "1e400", "0.30000000000000004",
    ];

    [Theory]
    [MemberData(nameof(Decimals))]
    public void Doubles_are_read_bit_for_bit_as_double_TryParse_reads_them(string text)
    {
        bool expectedOk = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected)
            && (double.IsFinite(expected) || !text.Any(char.IsAsciiDigit));
        bool ok = ValueParser.TryParseDouble(text, out double value);
        Assert.Equal(expectedOk, ok);
        if (ok)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(value));
        }
    }

    // The word reader must agree with the general boolean parser wherever it answers, and answer for every case of
    // "true" and "false"; near misses, control characters one bit away from a letter, and non-ASCII look-alikes (a
    // Cyrillic e, chars whose low byte is a letter's) go to the general parser.
    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("TRUE")]
    [InlineData("False")]
    [InlineData("tRuE")]
    [InlineData("fALSe")]
    [InlineData("tru")]
    [InlineData("truee")]
    [InlineData("fals")]
    [InlineData("falsy")]
    [InlineData("falsee")]
    [InlineData("trUe ")]
    [InlineData(" true")]
    [InlineData("t")]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("TRU\u0005")]
    [InlineData("tr\u0015e")]
    [InlineData("tru\u0435")]
    [InlineData("\u0174rue")]
    [InlineData("fals\u0145")]
    [InlineData("")]
    public void Boolean_words_are_read_as_the_general_parser_reads_them(string escaped)
    {
        string text = System.Text.RegularExpressions.Regex.Unescape(escaped);
        bool generalOk = ValueParser.TryParseBoolean(text, out bool general);
        bool isWord = text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

        bool ok = ValueParser.TryBooleanWord(text, out bool value);

        Assert.Equal(isWord, ok);
        if (ok)
        {
            Assert.True(generalOk);
            Assert.Equal(general, value);
        }
    }

    [Fact]
    public void Generated_amounts_and_ratios_match_double_TryParse()
    {
        // The shapes CSV exports write: up to 15 digits, 0-8 after the point, signs; SplitMix-style deterministic stream.
        ulong state = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < 200_000; i++)
        {
            state = (state ^ (state >> 31)) * 0xBF58476D1CE4E5B9UL + 0x632BE59BD9B4E019UL;
            int scale = (int)(state % 9);
            long units = (long)((state >> 8) % 1_000_000_000_000UL);
            string text = (units / Math.Pow(10, scale)).ToString("F" + scale.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if ((state >> 60) % 2 == 0)
            {
                text = "-" + text;
            }

            double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(ValueParser.TryParseDouble(text, out double value), text);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), text);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("007")]
    [InlineData("123456789")]
    [InlineData("-123456789")]
    [InlineData("2147483647")]
    [InlineData("-2147483648")]
    [InlineData("2147483648")]
    [InlineData("999999999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775808")]
    [InlineData("+5")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("1.0")]
    [InlineData("1a")]
    [InlineData(" 1")]
    [InlineData("١٢")]
    public void Integers_are_read_as_int_and_long_TryParse_read_them(string text)
    {
        bool ok32 = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int expected32);
        Assert.Equal(ok32, ValueParser.TryParseInt32(text, out int value32));
        Assert.Equal(expected32, ok32 ? value32 : expected32);

        bool ok64 = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long expected64);
        Assert.Equal(ok64, ValueParser.TryParseInt64(text, out long value64));
        Assert.Equal(expected64, ok64 ? value64 : expected64);
    }

    [Fact]
    public async Task Delta_encoded_integers_read_back_unchanged_across_row_groups_with_nulls()
    {
        // Ascending ids, a jump, negative values, the extremes and nulls: what delta encoding has to get right.
        var ids = new List<string>();
        for (int i = 0; i < 3000; i++)
        {
            ids.Add(i switch
            {
                7 or 2999 => string.Empty,
                100 => long.MinValue.ToString(CultureInfo.InvariantCulture),
                101 => long.MaxValue.ToString(CultureInfo.InvariantCulture),
                _ when i % 500 == 0 => (-i * 1_000_003L).ToString(CultureInfo.InvariantCulture),
                _ => (i * 3L).ToString(CultureInfo.InvariantCulture),
            });
        }

        string csv = "id,small\n" + string.Join('\n', ids.Select((id, i) => $"{id},{(i % 11 == 0 ? "" : (i % 101 - 50).ToString(CultureInfo.InvariantCulture))}")) + "\n";
        var (stats, columns, _, groups) = await ToParquetAsync(csv, new TransformOptions { Schema = Schema("id:int64,small:int32"), RowGroupSize = 1000 });

        Assert.Equal(3000, stats.Rows);
        Assert.Equal(3, groups);
        Assert.Equal(ids.Select(s => s.Length == 0 ? null : (object?)long.Parse(s, CultureInfo.InvariantCulture)), columns["id"]);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => i % 11 == 0 ? null : (object?)(i % 101 - 50)), columns["small"]);
    }
}
