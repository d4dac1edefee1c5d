using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The AWS JSON protocol (ECR, EKS): a POST of a JSON body with X-Amz-Target naming the operation, answered with JSON;
/// errors carry "__type" (the code, possibly after a '#') and "message".
/// </summary>
public sealed class AwsJsonClient(SignedHttpClient http, string service, string targetPrefix, Uri endpoint, string signingRegion)
{
    public async Task<JsonObject> CallAsync(string action, JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = new Dictionary<string, string> { ["X-Amz-Target"] = $"{targetPrefix}.{action}" };
        var response = await http.SendAsync(service, action, signingRegion, HttpMethod.Post, endpoint, Encoding.UTF8.GetBytes(request.ToJsonString()),
            "application/x-amz-json-1.1", headers, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(response.Body.Length == 0 ? "{}" : response.Body) as JsonObject ?? [];
    }

    public static AwsServiceException? ParseError(AwsHttpResponse response, string service, string action)
    {
        try
        {
            var body = JsonNode.Parse(response.Body);
            string? type = body?["__type"]?.GetValue<string>();
            if (type is null)
            {
                return null;
            }

            string code = type.Contains('#', StringComparison.Ordinal) ? type[(type.LastIndexOf('#') + 1)..] : type;
            string message = body?["message"]?.GetValue<string>() ?? body?["Message"]?.GetValue<string>() ?? string.Empty;
            return new AwsServiceException(service, action, response.Status, code, message);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
