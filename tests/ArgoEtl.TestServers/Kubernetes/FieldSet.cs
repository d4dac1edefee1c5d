using System.Globalization;
using System.Text.Json.Nodes;

namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>
/// Server-side apply's view of an object: its leaf fields by path. Maps are walked key by key; lists of objects that
/// all carry a "name" (containers, env, volumes, rules' names...) or a "containerPort" are merged item by item on
/// that key; every other list is atomic, owned and replaced whole. This is the part of structured-merge-diff that the
/// objects ArgoEtl applies depend on.
/// </summary>
internal static class FieldSet
{
    // Path separators that cannot occur in field names (label keys hold '.' and '/').
    private const char Sep = '\u0001';
    private const char Open = '\u0002';
    private const char Close = '\u0003';

    /// <summary>A path as people write it: .spec.containers[name=main].image.</summary>
    public static string Display(string path) => path.Replace(Sep, '.').Replace(Open, '[').Replace(Close, ']');

    private static readonly string[] SystemMetadata = ["resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink", "deletionTimestamp"];

    public static Dictionary<string, JsonNode?> Leaves(JsonObject obj)
    {
        var leaves = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (key is "status" || key is "apiVersion" or "kind")
            {
                continue;
            }

            if (key == "metadata" && value is JsonObject metadata)
            {
                foreach (var (mk, mv) in metadata)
                {
                    if (!SystemMetadata.Contains(mk) && mk is not ("name" or "namespace"))
                    {
                        Walk(mv, $"{Sep}{key}{Sep}{mk}", leaves);
                    }
                }

                continue;
            }

            Walk(value, $"{Sep}{key}", leaves);
        }

        return leaves;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, JsonNode?> leaves)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (k, v) in o)
                {
                    Walk(v, $"{path}{Sep}{k}", leaves);
                }

                break;
            case JsonArray a when KeyOf(a) is { } key:
                foreach (var item in a.OfType<JsonObject>())
                {
                    string itemPath = $"{path}{Open}{key}={Text(item[key])}{Close}";
                    foreach (var (k, v) in item)
                    {
                        Walk(v, $"{itemPath}{Sep}{k}", leaves);
                    }
                }

                if (a.Count == 0)
                {
                    leaves[path] = new JsonArray();
                }

                break;
            default:
                leaves[path] = node?.DeepClone();
                break;
        }
    }

    /// <summary>The merge key of a list of objects, or null for an atomic list.</summary>
    public static string? KeyOf(JsonArray array)
    {
        if (array.Count == 0 || array.Any(i => i is not JsonObject))
        {
            return null;
        }

        foreach (string key in new[] { "name", "containerPort" })
        {
            if (array.All(i => i is JsonObject o && o[key] is JsonValue))
            {
                return key;
            }
        }

        return null;
    }

    public static JsonNode? Get(JsonObject root, string path)
    {
        JsonNode? current = root;
        foreach (var (name, itemKey, itemValue) in Segments(path))
        {
            current = current is JsonObject o && o.TryGetPropertyValue(name, out var child) ? child : null;
            if (itemKey is not null)
            {
                current = (current as JsonArray)?.OfType<JsonObject>().FirstOrDefault(i => Text(i[itemKey]) == itemValue);
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public static void Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = Segments(path).ToList();
        JsonObject parent = root;
        for (int i = 0; i < segments.Count; i++)
        {
            var (name, itemKey, itemValue) = segments[i];
            bool last = i == segments.Count - 1;
            if (itemKey is null)
            {
                if (last)
                {
                    parent[name] = value?.DeepClone();
                    return;
                }

                if (parent[name] is not JsonObject next)
                {
                    next = [];
                    parent[name] = next;
                }

                parent = next;
            }
            else
            {
                if (parent[name] is not JsonArray list)
                {
                    list = [];
                    parent[name] = list;
                }

                var item = list.OfType<JsonObject>().FirstOrDefault(o => Text(o[itemKey]) == itemValue);
                if (item is null)
                {
                    item = new JsonObject { [itemKey] = ParseKey(itemValue) };
                    list.Add(item);
                }

                parent = item;
            }
        }
    }

    /// <summary>Removes a leaf, then any map or list item it leaves empty (a list item with only its key).</summary>
    public static void Remove(JsonObject root, string path)
    {
        var segments = Segments(path).ToList();
        var trail = new List<(JsonObject Holder, string Name, JsonObject? Item)>();
        JsonObject current = root;
        foreach (var (name, itemKey, itemValue) in segments.Take(segments.Count - 1))
        {
            var child = current[name];
            if (itemKey is not null && child is JsonArray list)
            {
                var item = list.OfType<JsonObject>().FirstOrDefault(o => Text(o[itemKey]) == itemValue);
                if (item is null)
                {
                    return;
                }

                trail.Add((current, name, item));
                current = item;
            }
            else if (child is JsonObject map)
            {
                trail.Add((current, name, null));
                current = map;
            }
            else
            {
                return;
            }
        }

        var (lastName, lastKey, lastValue) = segments[^1];
        if (lastKey is null)
        {
            current.Remove(lastName);
        }
        else if (current[lastName] is JsonArray list)
        {
            list.Remove(list.OfType<JsonObject>().FirstOrDefault(o => Text(o[lastKey]) == lastValue));
        }

        for (int i = trail.Count - 1; i >= 0; i--)
        {
            var (holder, name, item) = trail[i];
            var node = item ?? (JsonNode?)holder[name];
            bool empty = item is not null ? item.Count <= 1 : node is JsonObject { Count: 0 };
            if (!empty)
            {
                break;
            }

            if (item is not null && holder[name] is JsonArray owner)
            {
                owner.Remove(item);
            }
            else
            {
                holder.Remove(name);
            }
        }
    }

    private static IEnumerable<(string Name, string? ItemKey, string? ItemValue)> Segments(string path)
    {
        int i = 0;
        while (i < path.Length)
        {
            // Sep name, optionally followed by Open key=value Close.
            i++;
            int end = i;
            while (end < path.Length && path[end] != Sep && path[end] != Open)
            {
                end++;
            }

            string name = path[i..end];
            string? key = null;
            string? value = null;
            if (end < path.Length && path[end] == Open)
            {
                int close = path.IndexOf(Close, end);
                var pair = path[(end + 1)..close].Split('=', 2);
                key = pair[0];
                value = pair[1];
                end = close + 1;
            }

            yield return (name, key, value);
            i = end;
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : node?.ToJsonString() ?? string.Empty;

    private static JsonValue ParseKey(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? JsonValue.Create(n) : JsonValue.Create(text ?? string.Empty);
}
