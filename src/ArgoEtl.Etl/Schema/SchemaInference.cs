using ArgoEtl.Etl.Csv;
using nietras.SeparatedValues;

namespace ArgoEtl.Etl.Schema;

/// <summary>
/// Guesses column types from a sample of rows: the narrowest of boolean (true/false words), int32, int64, double,
/// date, timestamp that every non-empty sampled value parses as; string otherwise. A column with only empty values
/// in the sample is a string. The result is reported back to the user, so a wrong guess is visible and fixable.
/// </summary>
public static class SchemaInference
{
    private static readonly ColumnType[] Candidates =
        [ColumnType.Boolean, ColumnType.Int32, ColumnType.Int64, ColumnType.Double, ColumnType.Date, ColumnType.Timestamp];

    /// <param name="sample">The first bytes of the file.</param>
    /// <param name="complete">Whether the sample is the whole file; if not, its last row may be cut off and is ignored.</param>
    public static TableSchema Infer(ReadOnlyMemory<byte> sample, bool complete, CsvFormat format, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(format);
        using var reader = CsvReaderFactory.Open(new MemoryStream(sample.ToArray(), writable: false), format);
        var names = reader.HasHeader ? reader.Header.ColNames.ToList() : [];

        // For each column, the set of candidate types still possible (bit i = Candidates[i]).
        var possible = new List<int>();
        var seenValue = new List<bool>();
        var rows = new List<string[]>();
        foreach (var row in reader)
        {
            var fields = new string[row.ColCount];
            for (int i = 0; i < fields.Length; i++)
            {
                fields[i] = row[i].Span.ToString();
            }

            rows.Add(fields);
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

        int width = Math.Max(names.Count, rows.Count > 0 ? rows.Max(r => r.Length) : 0);
        for (int i = 0; i < width; i++)
        {
            possible.Add((1 << Candidates.Length) - 1);
            seenValue.Add(false);
        }

        foreach (var fields in rows)
        {
            for (int c = 0; c < fields.Length; c++)
            {
                string text = FieldText.ToText(fields[c]);
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
            }
        }

        var columns = new List<ColumnDefinition>(width);
        for (int c = 0; c < width; c++)
        {
            string name = c < names.Count && names[c].Length > 0 ? FieldText.ToText(names[c]) : $"column{c + 1}";
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

            columns.Add(new ColumnDefinition(name, type));
        }

        return new TableSchema(columns);
    }

    private static bool Parses(ColumnType type, string text) => type switch
    {
        ColumnType.Boolean => ValueParser.IsBooleanWord(text),
        ColumnType.Int32 => ValueParser.TryParseInt32(text, out _),
        ColumnType.Int64 => ValueParser.TryParseInt64(text, out _),
        ColumnType.Double => ValueParser.TryParseDouble(text, out _),
        ColumnType.Date => ValueParser.TryParseDate(text, out _),
        ColumnType.Timestamp => ValueParser.TryParseTimestamp(text, out _),
        _ => true,
    };
}
