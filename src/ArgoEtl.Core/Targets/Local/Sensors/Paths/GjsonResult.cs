using System.Globalization;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors.Paths;

/// <summary>
/// What a gjson path found: the node, its gjson type, its raw JSON and the string/number/bool views gjson gives
/// (Result.String(), Float(), Bool()), which Sensor filters and parameters read.
/// </summary>
public sealed class GjsonResult
{
    public static readonly GjsonResult Missing = new(false, null);

    internal GjsonResult(bool exists, JsonNode? node)
    {
        Exists = exists;
        Node = node;
        Type = !exists || node is null ? GjsonType.Null : node switch
        {
            JsonObject or JsonArray => GjsonType.JSON,
            JsonValue v when v.TryGetValue(out bool b) => b ? GjsonType.True : GjsonType.False,
            JsonValue v when v.TryGetValue(out string? _) => GjsonType.String,
            _ => GjsonType.Number,
        };
    }

    public bool Exists { get; }

    /// <summary>The node found (null for a JSON null or when nothing was found).</summary>
    public JsonNode? Node { get; }

    public GjsonType Type { get; }

    /// <summary>The JSON text of the value ("null" for a JSON null, "" when nothing was found).</summary>
    public string Raw => !Exists ? string.Empty : Node is null ? "null" : JsonText.Write(Node);

    /// <summary>gjson's Result.String(): strings unquoted, JSON blocks raw, integers as written, other numbers without exponent.</summary>
    public override string ToString() => Type switch
    {
        GjsonType.Null => string.Empty,
        GjsonType.False => "false",
        GjsonType.True => "true",
        GjsonType.String => Node!.GetValue<string>(),
        GjsonType.Number => NumberString(),
        _ => Raw,
    };

    /// <summary>gjson's Result.Float(): numbers, parsed strings (0 when not a number), true as 1.</summary>
    public double ToDouble() => Type switch
    {
        GjsonType.True => 1,
        GjsonType.Number => GoFormat.ParseNumber(Raw),
        GjsonType.String => double.TryParse(Node!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : 0,
        _ => 0,
    };

    /// <summary>gjson's Result.Bool(): true, strings Go's strconv.ParseBool accepts as true, numbers other than 0.</summary>
    public bool ToBoolean() => Type switch
    {
        GjsonType.True => true,
        GjsonType.String => GoFormat.TryParseBool(Node!.GetValue<string>(), out bool b) && b,
        GjsonType.Number => ToDouble() != 0,
        _ => false,
    };

    /// <summary>The value as Go's json.Unmarshal into interface{} gives it (what gjson's Value() returns).</summary>
    public object? ToValue() => Exists ? GoValue.FromJson(Node) : null;

    private string NumberString()
    {
        string raw = Raw;
        int start = raw.StartsWith('-') ? 1 : 0;
        bool integer = raw.Length > start && raw.AsSpan(start).IndexOfAnyExceptInRange('0', '9') < 0;
        return integer ? raw : GoFormat.FormatFloatF(GoFormat.ParseNumber(raw));
    }
}
