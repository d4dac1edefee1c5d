using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The AWS REST-JSON protocol (EKS): the operation is the method and path (GET /clusters/{name}), input in the path,
/// the query string and a JSON body; errors name their type in the x-amzn-ErrorType header (or "__type"/"code" in the body).
/// </summary>
public sealed class AwsRestJsonClient(SignedHttpClient http, string service, Uri endpoint, string signingRegion)
{
    /// <param name="action">The operation's name, for errors and the retry policy.</param>
    /// <param name="method">GET, POST, DELETE ...</param>
    /// <param name="path">The path with each segment already escaped (use <see cref="Segment"/>).</param>
    /// <param name="query">Query parameters (null values are left out).</param>
    /// <param name="body">The JSON body, or null for none.</param>
    /// <param name="cancellationToken">Cancels the call and its retries.</param>
    public async Task<JsonObject> CallAsync(string action, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string?>>? query, JsonObject? body,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string queryText = string.Join('&', (query ?? []).Where(p => p.Value is not null).Select(p => $"{AwsUriEncoding.Encode(p.Key)}={AwsUriEncoding.Encode(p.Value!)}"));
        var uri = new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + path + (queryText.Length == 0 ? string.Empty : "?" + queryText));
        byte[] content = body is null ? [] : Encoding.UTF8.GetBytes(body.ToJsonString());
        var response = await http.SendAsync(service, action, signingRegion, method, uri, content, body is null ? null : "application/json", null, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(response.Body.Length == 0 ? "{}" : response.Body) as JsonObject ?? [];
    }

    /// <summary>A path segment, escaped as SigV4 and the service expect.</summary>
    public static string Segment(string value) => AwsUriEncoding.Encode(value);

    public static AwsServiceException? ParseError(AwsHttpResponse response, string service, string action)
    {
        ArgumentNullException.ThrowIfNull(response);
        JsonNode? body = null;
        try
        {
            body = response.Body.Length == 0 ? null : JsonNode.Parse(response.Body);
        }
        catch (System.Text.Json.JsonException)
        {
            // A proxy's HTML error page: the header (if any) still names the error.
        }

        // "ResourceNotFoundException:http://internal.amazon.com/coral/..." in the header; "aws.protocols#Type" style in bodies.
        string? type = response.ErrorTypeHeader ?? (body as JsonObject)?["__type"]?.GetValue<string>() ?? (body as JsonObject)?["code"]?.GetValue<string>();
        if (type is null)
        {
            return null;
        }

        type = type.Split(':')[0];
        string code = type.Contains('#', StringComparison.Ordinal) ? type[(type.LastIndexOf('#') + 1)..] : type;
        string message = (body as JsonObject)?["message"]?.GetValue<string>() ?? (body as JsonObject)?["Message"]?.GetValue<string>() ?? string.Empty;
        return new AwsServiceException(service, action, response.Status, code, message);
    }
}
