using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>Label selectors (=, ==, !=, in, notin, exists, !exists) and field selectors (path=value, path!=value).</summary>
internal static partial class Selectors
{
    public static bool MatchesLabels(JsonObject obj, string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        var labels = (obj["metadata"]?["labels"] as JsonObject)?.ToDictionary(l => l.Key, l => l.Value?.GetValue<string>()) ?? [];
        foreach (Match term in Term().Matches(selector))
        {
            string key = term.Groups["key"].Value;
            bool has = labels.TryGetValue(key, out var value);
            bool ok = term.Groups["op"].Value switch
            {
                "" => term.Groups["not"].Success ? !has : has,
                "=" or "==" => has && value == term.Groups["value"].Value,
                "!=" => !has || value != term.Groups["value"].Value,
                "in" => has && Set(term).Contains(value!),
                "notin" => !has || !Set(term).Contains(value!),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static bool MatchesFields(JsonObject obj, string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return true;
        }

        foreach (string term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : (term.Contains("==", StringComparison.Ordinal) ? "==" : "="), 2);
            JsonNode? node = obj;
            foreach (string segment in parts[0].Split('.'))
            {
                node = node?[segment];
            }

            bool equal = node is JsonValue v && v.ToString() == parts[1];
            if (equal == negate)
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<string> Set(Match term) =>
        [.. term.Groups["set"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    [GeneratedRegex(@"(?<not>!)?(?<key>[A-Za-z0-9./_-]+)\s*(?:(?<op>==|=|!=)\s*(?<value>[A-Za-z0-9._-]*)|\s+(?<op>in|notin)\s*\((?<set>[^)]*)\))?\s*(?:,|$)")]
    private static partial Regex Term();
}
