using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// Values as Go's json.Unmarshal into interface{} makes them — what Go templates and govaluate see: objects as
/// <see cref="Dictionary{TKey, TValue}"/> of string, arrays as <see cref="List{T}"/>, numbers as double, strings, bools,
/// null. Template integers (literals, sprig arithmetic) are long. Printing and JSON follow Go's fmt %v and json.Marshal.
/// </summary>
internal static class GoValue
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(p => p.Key, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonArray array => array.Select(FromJson).ToList(),
        JsonValue v when v.TryGetValue(out bool b) => b,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => GoFormat.ParseNumber(JsonText.Write(node)),
    };

    /// <summary>fmt.Sprint's %v: maps as map[k:v ...] with sorted keys, slices as [a b], nil as &lt;nil&gt;.</summary>
    public static string Print(object? value) => value switch
    {
        null => "<nil>",
        string s => s,
        bool b => b ? "true" : "false",
        double d => GoFormat.FormatFloatV(d),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        IDictionary<string, object?> map => "map[" + string.Join(' ', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + Print(p.Value))) + "]",
        IList<object?> list => "[" + string.Join(' ', list.Select(Print)) + "]",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Go template truth: false, 0, nil and empty strings, maps and slices are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        double d => d != 0,
        long l => l != 0,
        IDictionary<string, object?> map => map.Count > 0,
        IList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>Go's json.Marshal: sorted map keys, '&lt;', '&gt;', '&amp;' escaped as \u003c..., floats without exponent below 1e21.</summary>
    public static string ToJson(object? value)
    {
        var sb = new StringBuilder();
        WriteJson(sb, value);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case string s:
                WriteString(sb, s);
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                double abs = Math.Abs(d);
                if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
                {
                    // encoding/json writes these with %e and trims a leading zero from a negative exponent ("1e-07" → "1e-7").
                    string e = GoFormat.FormatFloatV(d);
                    sb.Append(e.Replace("e-0", "e-", StringComparison.Ordinal).Replace("e+0", "e+", StringComparison.Ordinal));
                }
                else
                {
                    sb.Append(GoFormat.FormatFloatF(d));
                }

                break;
            case long or int:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case IDictionary<string, object?> map:
                sb.Append('{');
                bool first = true;
                foreach (var (k, v) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteString(sb, k);
                    sb.Append(':');
                    WriteJson(sb, v);
                }

                sb.Append('}');
                break;
            case IList<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteJson(sb, list[i]);
                }

                sb.Append(']');
                break;
            default:
                WriteString(sb, Print(value));
                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }
}
