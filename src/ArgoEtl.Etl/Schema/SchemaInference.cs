using System.Globalization;
using ArgoEtl.Etl.Csv;
using ArgoEtl.Etl.Output;

namespace ArgoEtl.Etl.Schema;

/// <summary>
/// Guesses column types from a sample of rows: the narrowest of boolean (true/false words), int32, int64, double,
/// date, timestamp that every non-empty sampled value parses as; string otherwise. A column with only empty values
/// in the sample is a string. Inference never changes a value: a number is inferred only when every text is written
/// the way the number would be written back (no leading zero or plus sign, no surrounding spaces, no more digits than
/// a double keeps, no overflow), so 08123 or +821012345678 stay strings, and the report says why.
/// </summary>
public static class SchemaInference
{
    private const int DoubleExactDigits = 15;

    private static readonly ColumnType[] Candidates =
        [ColumnType.Boolean, ColumnType.Int32, ColumnType.Int64, ColumnType.Double, ColumnType.Date, ColumnType.Timestamp];

    /// <param name="sample">The first bytes of the file.</param>
    /// <param name="complete">Whether the sample is the whole file; if not, its last row may be cut off and is ignored.</param>
    /// <param name="sourceName">How to name the input in errors about its header.</param>
    public static InferredSchema Infer(ReadOnlyMemory<byte> sample, bool complete, CsvFormat format, int maxRows, string sourceName = "input")
    {
        ArgumentNullException.ThrowIfNull(format);
        using var reader = CsvReaderFactory.Open(new MemoryStream(sample.ToArray(), writable: false), format, sourceName, out var header);
        var names = header is { IsEmpty: false } ? header.Names : [];

        var rows = new List<(string[] Fields, int Line)>();
        foreach (var row in reader)
        {
            var fields = new string[row.ColCount];
            for (int i = 0; i < fields.Length; i++)
            {
                fields[i] = row[i].Span.ToString();
            }

            rows.Add((fields, row.LineNumberFrom));
            if (rows.Count > maxRows)
            {
                break;
            }
        }

        // The last row of a partial sample may be cut off mid-line: do not let it vote.
        if (!complete && rows.Count > 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        // The header decides the width (or, without one, the first row): a row with more or fewer fields is an error
        // reported at its own line by the conversion, not a reason to invent a column.
        int width = names.Count > 0 ? names.Count : rows.Count > 0 ? rows[0].Fields.Length : 0;
        var possible = Enumerable.Repeat((1 << Candidates.Length) - 1, width).ToArray();
        var seenValue = new bool[width];
        var allNumeric = Enumerable.Repeat(true, width).ToArray();
        var firstChange = new string?[width];
        foreach (var (fields, line) in rows)
        {
            if (fields.Length != width)
            {
                continue;
            }

            for (int c = 0; c < width; c++)
            {
                string text = format.Quoted ? FieldText.ToText(fields[c]) : fields[c];
                if (text.Length == 0)
                {
                    continue;
                }

                seenValue[c] = true;
                for (int k = 0; k < Candidates.Length; k++)
                {
                    if ((possible[c] & (1 << k)) != 0 && !Parses(Candidates[k], text))
                    {
                        possible[c] &= ~(1 << k);
                    }
                }

                if (allNumeric[c])
                {
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        allNumeric[c] = false;
                    }
                    else if (firstChange[c] is null && NumberChange(text) is { } reason)
                    {
                        firstChange[c] = $"{reason}, line {line}";
                    }
                }
            }
        }

        var columns = new List<ColumnDefinition>(width);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int c = 0; c < width; c++)
        {
            string name = c < names.Count && names[c].Length > 0 ? names[c] : $"column{c + 1}";
            var type = ColumnType.String;
            if (seenValue[c])
            {
                for (int k = 0; k < Candidates.Length; k++)
                {
                    if ((possible[c] & (1 << k)) != 0)
                    {
                        type = Candidates[k];
                        break;
                    }
                }
            }

            if (type == ColumnType.String && allNumeric[c] && firstChange[c] is { } note)
            {
                notes[name] = note;
            }

            columns.Add(new ColumnDefinition(name, type));
        }

        return new InferredSchema(new TableSchema(columns), notes);
    }

    /// <summary>
    /// Why a text that parses as a number would not be written back the same from it; null when it would.
    /// Integers are stricter still (see <see cref="Parses"/>): a text is an integer only in its one canonical form.
    /// </summary>
    internal static string? NumberChange(string text)
    {
        if (text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])))
        {
            return "spaces around the number";
        }

        if (text[0] == '+')
        {
            return "plus sign";
        }

        var s = text.AsSpan(text[0] == '-' ? 1 : 0);
        if (s.Length > 1 && s[0] == '0' && char.IsAsciiDigit(s[1]))
        {
            return "leading zero";
        }

        if (s.IndexOfAnyInRange('0', '9') < 0)
        {
            return "not a finite number";
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
        {
            return "out of the range of a double";
        }

        int digits = SignificantDigits(s);
        return digits > DoubleExactDigits ? $"{digits} significant digits, more than a double keeps" : null;
    }

    // Digits of the mantissa without leading zeros (and without trailing zeros after a decimal point).
    private static int SignificantDigits(ReadOnlySpan<char> s)
    {
        int e = s.IndexOfAny('e', 'E');
        var mantissa = e < 0 ? s : s[..e];
        int first = -1, last = -1, dot = mantissa.IndexOf('.');
        for (int i = 0; i < mantissa.Length; i++)
        {
            if (char.IsAsciiDigit(mantissa[i]) && mantissa[i] != '0')
            {
                first = first < 0 ? i : first;
                last = i;
            }
        }

        if (first < 0)
        {
            return 0;
        }

        // Zeros ending a whole number count (12300 has 5 digits to keep); after a point they carry nothing.
        if (dot < 0)
        {
            last = mantissa.Length - 1;
        }

        int count = last - first + 1;
        return dot > first && dot < last ? count - 1 : count;
    }

    private static bool Parses(ColumnType type, string text) => type switch
    {
        ColumnType.Boolean => ValueParser.IsBooleanWord(text),
        ColumnType.Int32 => JsonNumberText.IsCanonicalInteger(text, 10) && ValueParser.TryParseInt32(text, out _),
        ColumnType.Int64 => JsonNumberText.IsCanonicalInteger(text, 19) && ValueParser.TryParseInt64(text, out _),
        ColumnType.Double => NumberChange(text) is null && ValueParser.TryParseDouble(text, out _),
        ColumnType.Date => ValueParser.TryParseDate(text, out _),
        ColumnType.Timestamp => ValueParser.TryParseTimestamp(text, out _),
        _ => true,
    };
}
