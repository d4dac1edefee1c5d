using System.Globalization;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Projects;

/// <summary>
/// Skaffold's profile rules on a JSON view of the config. Overlay: a profile's mapping fields merge into the base field
/// by field; a non-empty list or a non-zero scalar replaces the base's; a "one of" group (build.local / cluster /
/// googleCloudBuild, or the tagPolicy kinds) is replaced whole. Then the profile's JSON patches (RFC 6902; op defaults to
/// replace) apply to the result.
/// </summary>
public static class ConfigMerge
{
    private static readonly string[][] OneOfGroups =
    [
        ["local", "googleCloudBuild", "cluster"],
        ["gitCommit", "sha256", "envTemplate", "dateTime", "customTemplate", "inputDigest"],
    ];

    public static JsonNode? Overlay(JsonNode? baseValue, JsonNode? profileValue)
    {
        switch (profileValue)
        {
            case null:
                return baseValue?.DeepClone();
            case JsonObject profile when baseValue is JsonObject baseObject:
                var merged = (JsonObject)baseObject.DeepClone();
                foreach (var group in OneOfGroups)
                {
                    if (group.Any(profile.ContainsKey))
                    {
                        foreach (string key in group)
                        {
                            merged.Remove(key);
                        }
                    }
                }

                foreach (var (key, value) in profile)
                {
                    merged[key] = Overlay(merged[key], value);
                }

                return merged;
            case JsonArray { Count: 0 }:
                return baseValue?.DeepClone();
            case JsonValue v when IsZero(v):
                return baseValue?.DeepClone() ?? v.DeepClone();
            default:
                return profileValue.DeepClone();
        }
    }

    private static bool IsZero(JsonValue value) =>
        (value.TryGetValue(out bool b) && !b) || (value.TryGetValue(out string? s) && s.Length == 0) || (value.TryGetValue(out long l) && l == 0);

    /// <summary>Applies one JSON patch operation in place; throws with the patch's path when it cannot apply.</summary>
    public static JsonNode Apply(JsonNode root, string op, string path, JsonNode? value, string? from)
    {
        ArgumentNullException.ThrowIfNull(root);
        switch (op)
        {
            case "add":
                return Set(root, path, value?.DeepClone(), insert: true);
            case "replace":
                Get(root, path);
                return Set(root, path, value?.DeepClone(), insert: false);
            case "remove":
                Remove(root, path);
                return root;
            case "copy":
                return Set(root, path, Get(root, from ?? throw Invalid(path, "copy needs 'from'"))?.DeepClone(), insert: true);
            case "move":
                var moved = Get(root, from ?? throw Invalid(path, "move needs 'from'"))?.DeepClone();
                Remove(root, from);
                return Set(root, path, moved, insert: true);
            case "test":
                if (!JsonNode.DeepEquals(Get(root, path), value))
                {
                    throw Invalid(path, "the test operation did not match");
                }

                return root;
            default:
                throw Invalid(path, $"unknown op '{op}' (use add, remove, replace, move, copy or test)");
        }
    }

    private static JsonNode? Get(JsonNode root, string path) => Walk(root, Tokens(path), path);

    private static JsonNode? Walk(JsonNode root, IEnumerable<string> tokens, string path)
    {
        JsonNode? node = root;
        foreach (string token in tokens)
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(token, out var child) => child,
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < a.Count => a[i],
                _ => throw Invalid(path, $"'{token}' does not exist"),
            };
        }

        return node;
    }

    private static JsonNode Set(JsonNode root, string path, JsonNode? value, bool insert)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value ?? throw Invalid(path, "the whole config cannot be null");
        }

        var parent = Walk(root, tokens.Take(tokens.Count - 1), path);
        string last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i <= a.Count:
                if (insert)
                {
                    a.Insert(i, value);
                }
                else if (i < a.Count)
                {
                    a[i] = value;
                }
                else
                {
                    throw Invalid(path, $"index {i} does not exist");
                }

                break;
            default:
                throw Invalid(path, "its parent is not an object or list");
        }

        return root;
    }

    private static void Remove(JsonNode root, string path)
    {
        var tokens = Tokens(path);
        var parent = Walk(root, tokens.Take(tokens.Count - 1), path);
        bool removed = parent switch
        {
            JsonObject o => o.Remove(tokens[^1]),
            JsonArray a when int.TryParse(tokens[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw Invalid(path, "there is nothing to remove");
        }
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }

    private static List<string> Tokens(string path) =>
        path.Length == 0 ? [] : [.. path.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static InvalidOperationException Invalid(string path, string why) => new($"patch path '{path}': {why}");
}
