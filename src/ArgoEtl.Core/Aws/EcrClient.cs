using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Images;

namespace ArgoEtl.Core.Aws;

/// <summary>A registry login from ECR: the registry's host (from the proxy endpoint) and the temporary credentials.</summary>
public sealed record EcrLogin(string Registry, RegistryCredentials Credentials, DateTimeOffset ExpiresAt);

/// <summary>The ECR calls publishing needs, over the JSON protocol (AWSSDK.ECR is not used).</summary>
public sealed class EcrClient(AwsJsonClient json)
{
    /// <summary>GetAuthorizationToken: the token is base64 "AWS:&lt;password&gt;"; it never leaves this object except as credentials.</summary>
    public async Task<EcrLogin> LoginAsync(CancellationToken cancellationToken)
    {
        var result = await Call("GetAuthorizationToken", [], cancellationToken).ConfigureAwait(false);
        var data = (result["authorizationData"] as JsonArray)?.FirstOrDefault() ?? throw new EtlException(EtlErrors.EcrLoginFailed, "ECR returned no authorization data.", "Check that the caller may call ecr:GetAuthorizationToken.");
        string pair = Encoding.UTF8.GetString(Convert.FromBase64String(data["authorizationToken"]!.GetValue<string>()));
        int colon = pair.IndexOf(':', StringComparison.Ordinal);
        var endpoint = new Uri(data["proxyEndpoint"]!.GetValue<string>());
        var expires = data["expiresAt"] is JsonValue v && v.TryGetValue(out double epoch) ? DateTimeOffset.FromUnixTimeMilliseconds((long)(epoch * 1000)) : DateTimeOffset.UtcNow.AddHours(12);
        return new EcrLogin(endpoint.Authority, new RegistryCredentials(pair[..colon], pair[(colon + 1)..]), expires);
    }

    /// <summary>The repository's URI, or null when it does not exist.</summary>
    public async Task<string?> RepositoryUriAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Call("DescribeRepositories", new JsonObject { ["repositoryNames"] = new JsonArray(name) }, cancellationToken).ConfigureAwait(false);
            return (result["repositories"] as JsonArray)?.FirstOrDefault()?["repositoryUri"]?.GetValue<string>();
        }
        catch (AwsServiceException ex) when (ex.Code == "RepositoryNotFoundException")
        {
            return null;
        }
    }

    public async Task<string> CreateRepositoryAsync(string name, bool scanOnPush, bool immutableTags, CancellationToken cancellationToken)
    {
        var result = await Call("CreateRepository", new JsonObject
        {
            ["repositoryName"] = name,
            ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = scanOnPush },
            ["imageTagMutability"] = immutableTags ? "IMMUTABLE" : "MUTABLE",
        }, cancellationToken).ConfigureAwait(false);
        return result["repository"]?["repositoryUri"]?.GetValue<string>() ?? name;
    }

    private async Task<JsonObject> Call(string action, JsonObject request, CancellationToken cancellationToken)
    {
        try
        {
            return await json.CallAsync(action, request, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.Code != "RepositoryNotFoundException")
        {
            throw ex.ToEtlException($"ECR {action}", action);
        }
    }

}
