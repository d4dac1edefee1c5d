using System.Collections.Specialized;
using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A request's headers as Go's net/http hands them to Argo Events (http.Header, marshalled as
/// <c>{"Name": ["value", ...]}</c>): names in canonical MIME form (<c>content-type</c> → <c>Content-Type</c>), Host and
/// Transfer-Encoding taken out of the map as Go's server does.
/// </summary>
public static class GoHttpHeader
{
    public static JsonObject ToJson(NameValueCollection headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var map = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string? name in headers.AllKeys)
        {
            if (name is null)
            {
                continue;
            }

            string canonical = Canonical(name);
            if (canonical is "Host" or "Transfer-Encoding")
            {
                continue;
            }

            if (!map.TryGetValue(canonical, out var values))
            {
                map[canonical] = values = [];
            }

            values.AddRange(headers.GetValues(name) ?? []);
        }

        var json = new JsonObject();
        foreach (var (name, values) in map)
        {
            json[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        return json;
    }

    /// <summary>Go's textproto.CanonicalMIMEHeaderKey: upper case first letter and each letter after '-', the rest lower.</summary>
    public static string Canonical(string name)
    {
        if (name.Any(c => c is ' ' or ':' || c > 127))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            builder.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            upper = c == '-';
        }

        return builder.ToString();
    }
}
