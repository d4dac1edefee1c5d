using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors.Paths;

/// <summary>
/// tidwall/sjson's Set over a parsed document, as trigger parameters' dest uses it: keys separated by '.', '\' escapes,
/// a numeric key indexes an array (past the end pads with null), '-1' appends, and a missing container is created —
/// an array when the next key is numeric or '-1', otherwise an object.
/// </summary>
public static class SjsonPath
{
    /// <summary>Sets <paramref name="value"/> at <paramref name="path"/> and returns the (possibly new) root.</summary>
    /// <exception cref="ArgumentException">The path names a non-numeric key inside an array, or is empty.</exception>
    public static JsonNode Set(JsonNode? root, string path, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new ArgumentException("the path is empty", nameof(path));
        }

        var parts = GjsonPath.Split(path);
        root = root is JsonObject or JsonArray ? root : NewContainerFor(parts[0]);
        var node = root;
        for (int i = 0; i < parts.Count; i++)
        {
            bool last = i == parts.Count - 1;
            JsonNode? next = last ? value : null;
            string part = parts[i];
            if (node is JsonObject obj)
            {
                if (last)
                {
                    obj[part] = value;
                    break;
                }

                if (obj[part] is not (JsonObject or JsonArray))
                {
                    obj[part] = NewContainerFor(parts[i + 1]);
                }

                node = obj[part]!;
            }
            else if (node is JsonArray array)
            {
                int index;
                if (part == "-1")
                {
                    index = array.Count;
                }
                else if (!GjsonPath.TryIndex(part, out index))
                {
                    throw new ArgumentException($"'{part}' in '{path}' indexes an array and is not a number or -1", nameof(path));
                }

                while (array.Count < index)
                {
                    array.Add(null);
                }

                if (last)
                {
                    if (index == array.Count)
                    {
                        array.Add(next);
                    }
                    else
                    {
                        array[index] = next;
                    }

                    break;
                }

                if (index == array.Count)
                {
                    array.Add(NewContainerFor(parts[i + 1]));
                }
                else if (array[index] is not (JsonObject or JsonArray))
                {
                    array[index] = NewContainerFor(parts[i + 1]);
                }

                node = array[index]!;
            }
        }

        return root;
    }

    private static JsonNode NewContainerFor(string key) =>
        key == "-1" || GjsonPath.TryIndex(key, out _) ? new JsonArray() : new JsonObject();
}
