using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Core.Images;

/// <summary>
/// The part of the OCI distribution API publishing needs: does repository:tag exist, and with which digest. Handles
/// the registry's auth challenge (Basic, or a Bearer token from the realm it names). Registries on loopback are
/// spoken to over plain HTTP, like the tools do.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.distribution.manifest.list.v2+json",
    ];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static bool IsInsecure(string registry) =>
        registry.StartsWith("localhost", StringComparison.Ordinal) || registry.StartsWith("127.", StringComparison.Ordinal) || registry.StartsWith("[::1]", StringComparison.Ordinal);

    /// <summary>The manifest digest of repository:tag, or null when the registry does not have it.</summary>
    public async Task<string?> DigestAsync(string registry, string repository, string tag, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{(IsInsecure(registry) ? "http" : "https")}://{registry}/v2/{repository}/manifests/{tag}");
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(uri, null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.FirstOrDefault() is { } challenge)
            {
                var authorization = await AuthorizeAsync(challenge, repository, credentials, registry, cancellationToken).ConfigureAwait(false);
                response.Dispose();
                response = await SendAsync(uri, authorization, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException ex)
        {
            throw new EtlException(EtlErrors.RegistryUnreachable, $"Registry {UrlRedaction.Redact(registry)} did not answer: {UrlRedaction.Redact(ex.Message)}",
                "Check -Registry and that the registry is running and reachable from here.", UrlRedaction.Redact(registry), ex);
        }

        using (response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.OK => response.Headers.TryGetValues("Docker-Content-Digest", out var digests) ? digests.First() : null,
                HttpStatusCode.NotFound => null,
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => throw new EtlException(EtlErrors.RegistryAccessDenied, $"Registry {UrlRedaction.Redact(registry)} refused access to {repository} ({(int)response.StatusCode}).",
                    "Log in (docker login / the registry's credential helper writes ~/.docker/config.json), or use -Credential.", registry),
                _ => throw new EtlException(EtlErrors.RegistryRequestFailed, $"Registry {UrlRedaction.Redact(registry)} answered {(int)response.StatusCode} for {repository}:{tag}.",
                    "Check the registry's health.", registry),
            };
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri uri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, uri);
        foreach (string type in ManifestTypes)
        {
            request.Headers.Accept.ParseAdd(type);
        }

        request.Headers.Authorization = authorization;
        return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AuthenticationHeaderValue?> AuthorizeAsync(AuthenticationHeaderValue challenge, string repository, RegistryCredentials? credentials, string registry, CancellationToken cancellationToken)
    {
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return credentials is null ? null : new AuthenticationHeaderValue("Basic", credentials.Basic);
        }

        // Bearer realm="https://auth.example/token",service="registry.example"
        var fields = Field().Matches(challenge.Parameter ?? string.Empty).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.OrdinalIgnoreCase);
        if (!fields.TryGetValue("realm", out var realm))
        {
            return null;
        }

        string url = $"{realm}?service={Uri.EscapeDataString(fields.GetValueOrDefault("service") ?? registry)}&scope={Uri.EscapeDataString($"repository:{repository}:pull,push")}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials.Basic);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        string? token = body?["token"]?.GetValue<string>() ?? body?["access_token"]?.GetValue<string>();
        return token is null ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("""(\w+)="([^"]*)"?""")]
    private static partial Regex Field();
}
