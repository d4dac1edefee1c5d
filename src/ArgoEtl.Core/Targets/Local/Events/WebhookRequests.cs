using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>What webhook and sns routes share, as upstream's route handler does: bearer-token checks and body limits.</summary>
internal static class WebhookRequests
{
    public const string MaskedAuthorization = "*** Masked Auth Secret ***";

    /// <summary>
    /// Upstream's authSecret check: 401 "Invalid Authorization Header" without a Bearer token, 401 "Invalid Auth token"
    /// for a wrong one. Returns false when it answered the request. An Authorization header is then masked in the headers
    /// passed on.
    /// </summary>
    public static async Task<bool> AuthorizeAsync(HttpListenerContext context, WebhookContextSpec spec, LocalEventSourceOptions options, EventSourceDefinition owner)
    {
        string? header = context.Request.Headers["Authorization"];
        if (spec.AuthSecret is { } secret)
        {
            string token = options.ResolveSecret(secret, owner);
            if (header is null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                await WebhookRouter.RespondAsync(context.Response, 401, "Invalid Authorization Header").ConfigureAwait(false);
                return false;
            }

            if (!string.Equals(header["Bearer ".Length..], token, StringComparison.Ordinal))
            {
                await WebhookRouter.RespondAsync(context.Response, 401, "Invalid Auth token").ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    /// <summary>The request's headers as Go's http.Header, with Authorization masked as upstream masks it.</summary>
    public static JsonObject Headers(HttpListenerRequest request)
    {
        var headers = GoHttpHeader.ToJson(request.Headers);
        if (headers.ContainsKey("Authorization"))
        {
            headers["Authorization"] = new JsonArray(MaskedAuthorization);
        }

        return headers;
    }

    /// <summary>Reads the body up to the limit; null (and a 400 "http: request body too large") past it.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpListenerContext context, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        Stream input = context.Request.InputStream;
        while (true)
        {
            int read = await input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > limit)
            {
                await WebhookRouter.RespondAsync(context.Response, 400, "http: request body too large").ConfigureAwait(false);
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }

    /// <summary>
    /// The body as Go's json.Marshal accepts a json.RawMessage: valid JSON or an error. Upstream answers 400 with the
    /// marshal error when a body is not JSON (an empty body included).
    /// </summary>
    public static bool TryParseJson(byte[] body, out JsonNode? node, out string error)
    {
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
            error = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            node = null;
            error = body.Length == 0
                ? "json: error calling MarshalJSON for type *json.RawMessage: unexpected end of JSON input"
                : $"json: error calling MarshalJSON for type *json.RawMessage: invalid JSON ({ex.Message})";
            return false;
        }
    }

    /// <summary>Form and query values as Go's url.Values marshal: {"name": ["value", ...]}.</summary>
    public static JsonObject Values(string query)
    {
        var map = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = WebUtility.UrlDecode(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : WebUtility.UrlDecode(pair[(eq + 1)..]);
            if (!map.TryGetValue(key, out var list))
            {
                map[key] = list = [];
            }

            list.Add(value);
        }

        var json = new JsonObject();
        foreach (var (key, list) in map)
        {
            json[key] = new JsonArray([.. list.Select(v => (JsonNode?)JsonValue.Create(v))]);
        }

        return json;
    }

    public static string Utf8(byte[] body) => Encoding.UTF8.GetString(body);
}
