using System.Net;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Core.Aws;

/// <summary>A response body and its status, for the protocol layers to parse.</summary>
public sealed record AwsHttpResponse(HttpStatusCode Status, string Body, string? ContentType)
{
    /// <summary>The x-amzn-ErrorType header: where REST-JSON services (EKS) name the error.</summary>
    public string? ErrorTypeHeader { get; init; }
}

/// <summary>
/// Sends AWS requests signed with AWSSDK.Core's SigV4 signer (the SDK's own code, so credentials from any source of
/// its chain work, session tokens included), retrying throttling, 5xx and dropped connections with jittered
/// exponential backoff. Each attempt is signed afresh. Nothing here logs headers, so keys and tokens stay out of output.
/// </summary>
public sealed class SignedHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly AWSCredentials _credentials;
    private readonly Func<AwsHttpResponse, string, string, AwsServiceException?> _errorParser;

    public SignedHttpClient(AWSCredentials credentials, Func<AwsHttpResponse, string, string, AwsServiceException?> errorParser, HttpMessageHandler? handler = null)
    {
        _credentials = credentials;
        _errorParser = errorParser;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>Attempts per call (1 + retries); the delays start at <see cref="BaseDelay"/> and double.</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public async Task<AwsHttpResponse> SendAsync(string service, string action, string signingRegion, HttpMethod method, Uri uri,
        byte[] body, string? contentType, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var request = await BuildAsync(service, signingRegion, method, uri, body, contentType, headers, cancellationToken).ConfigureAwait(false);
                using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var result = new AwsHttpResponse(response.StatusCode, text, response.Content.Headers.ContentType?.MediaType)
                {
                    ErrorTypeHeader = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.FirstOrDefault() : null,
                };
                if ((int)response.StatusCode < 300)
                {
                    return result;
                }

                var failure = _errorParser(result, service, action) ?? new AwsServiceException(service, action, response.StatusCode, response.StatusCode.ToString(), $"HTTP {(int)response.StatusCode}");
                if (!failure.IsTransient || attempt >= MaxAttempts)
                {
                    throw failure;
                }
            }
            catch (HttpRequestException) when (attempt < MaxAttempts)
            {
                // A dropped or refused connection: retried below like a 5xx.
            }
            catch (HttpRequestException ex)
            {
                throw Unreachable(service, uri, ex);
            }

            // Jitter: a random delay between half and all of the exponential cap, so retries from many callers spread out.
            double cap = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            await Task.Delay(TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2)), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The one error for an AWS endpoint that does not answer: it names the service and the endpoint (userinfo masked).</summary>
    public static EtlException Unreachable(string service, Uri endpoint, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(cause);
        string at = UrlRedaction.Redact(endpoint.GetLeftPart(UriPartial.Authority));
        string reason = cause is HttpRequestException ? cause.Message : (Innermost(cause) ?? cause).Message;
        return new EtlException("AwsUnreachable", EtlErrorKind.Connection, $"Could not reach {service} at {at}: {UrlRedaction.Redact(reason)}",
            "Check the endpoint (-EndpointUrl or AWS_ENDPOINT_URL), the region and the network.", at, cause);
    }

    /// <summary>True when the failure is the connection itself (refused, reset, DNS), however the SDK wrapped it.</summary>
    public static bool IsConnectionFailure(Exception? failure) => Innermost(failure) is not null;

    private static Exception? Innermost(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or System.Net.Sockets.SocketException)
            {
                return e;
            }
        }

        return null;
    }

    private async Task<HttpRequestMessage> BuildAsync(string service, string signingRegion, HttpMethod method, Uri uri, byte[] body,
        string? contentType, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        var toSign = new AWSSigningRequest { HttpMethod = method, RequestUri = uri, Content = body };
        if (contentType is not null)
        {
            toSign.Headers["Content-Type"] = contentType;
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            toSign.Headers[name] = value;
        }

        var signed = await AWSSigV4Signer.SignAsync(toSign, new AWSSigV4Parameters
        {
            Credentials = _credentials,
            Region = AwsConnection.RegionEndpointFor(signingRegion),
            Service = service,
        }, cancellationToken).ConfigureAwait(false);

        var request = new HttpRequestMessage(method, uri) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in toSign.Headers.Concat(signed.Headers))
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue; // HttpClient sends the same host (with the port when it is not the default) from the URI.
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                request.Headers.Remove(name);
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }

    public void Dispose() => _http.Dispose();
}
