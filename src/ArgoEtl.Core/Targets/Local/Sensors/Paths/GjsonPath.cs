using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors.Paths;

/// <summary>
/// The part of gjson's path syntax Sensors use (tidwall/gjson SYNTAX.md): keys separated by '.', '\' escaping the next
/// character ("metadata.labels.app\.kubernetes\.io/name"), array indexes ("notification.0"), '#' for an array's length,
/// and '#.rest' for the array of 'rest' over every element. Queries '#(...)', wildcards '*' '?', modifiers '@' and the
/// pipe '|' are not implemented: <see cref="Unsupported"/> says so, so the parser can reject them with file:line.
/// </summary>
public static class GjsonPath
{
    /// <summary>Why the path uses syntax this implementation does not have, or null when it is fully supported.</summary>
    public static string? Unsupported(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.StartsWith('[') || path.StartsWith('{'))
        {
            return "gjson multipaths ('[a,b]', '{a,b}') are not supported";
        }

        if (path.StartsWith('!'))
        {
            return "gjson literals ('!true') are not supported";
        }

        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '\\')
            {
                i++;
                continue;
            }

            if (c is '*' or '?')
            {
                return $"the gjson wildcard '{c}' is not supported (escape it as '\\{c}' if it is part of a key)";
            }

            if (c == '|')
            {
                return "the gjson pipe '|' is not supported";
            }

            if (c == '@' && (i == 0 || path[i - 1] == '.'))
            {
                return "gjson modifiers ('@...') are not supported";
            }

            if (c == '#' && i + 1 < path.Length && path[i + 1] == '(')
            {
                return "gjson queries ('#(...)') are not supported";
            }
        }

        return null;
    }

    /// <summary>gjson.Get over a parsed document: the value at <paramref name="path"/>, or <see cref="GjsonResult.Missing"/>.</summary>
    public static GjsonResult Get(JsonNode? root, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || Unsupported(path) is not null)
        {
            return GjsonResult.Missing;
        }

        var parts = Split(path);
        return Walk(root, parts, 0);
    }

    /// <summary>The path's keys with escapes removed ("a\.b.c" → ["a.b", "c"]).</summary>
    public static IReadOnlyList<string> Split(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i < path.Length; i++)
        {
            char c = path[i];
            if (c == '\\' && i + 1 < path.Length)
            {
                current.Append(path[++i]);
            }
            else if (c == '.')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    internal static bool TryIndex(string part, out int index) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    private static GjsonResult Walk(JsonNode? node, IReadOnlyList<string> parts, int at)
    {
        if (at == parts.Count)
        {
            return new GjsonResult(true, node);
        }

        string part = parts[at];
        switch (node)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(part, out var child) ? Walk(child, parts, at + 1) : GjsonResult.Missing;
            case JsonArray array when part == "#":
                if (at == parts.Count - 1)
                {
                    return new GjsonResult(true, JsonValue.Create(array.Count));
                }

                // '#.rest': the array of what 'rest' finds in each element, elements where it finds nothing left out.
                var mapped = new JsonArray();
                foreach (var element in array)
                {
                    var found = Walk(element, parts, at + 1);
                    if (found.Exists)
                    {
                        mapped.Add(found.Node?.DeepClone());
                    }
                }

                return new GjsonResult(true, mapped);
            case JsonArray array when TryIndex(part, out int index):
                return index < array.Count ? Walk(array[index], parts, at + 1) : GjsonResult.Missing;
            default:
                return GjsonResult.Missing;
        }
    }
}
