using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Etl.Storage;
using k8s;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>An API answer: status and JSON body (an object, a list, or a Status).</summary>
public sealed record KubeResponse(HttpStatusCode Status, JsonNode? Body)
{
    public bool IsSuccess => (int)Status < 300;

    public string Message => Body?["message"]?.GetValue<string>() ?? Status.ToString();
}

/// <summary>
/// The Kubernetes API over KubernetesClient's connection (kubeconfig, context, TLS and credentials handled by it),
/// with raw JSON requests so any kind, built in or custom, goes through one path. 429, 5xx and dropped connections
/// are retried with backoff (Retry-After honoured).
/// </summary>
public sealed class KubeClient : IDisposable
{
    private readonly k8s.Kubernetes _client;

    private KubeClient(k8s.Kubernetes client, string defaultNamespace, string? context)
    {
        _client = client;
        DefaultNamespace = defaultNamespace;
        Context = context;
    }

    /// <summary>The namespace of the kubeconfig context (or 'default').</summary>
    public string DefaultNamespace { get; }

    public string? Context { get; }

    /// <summary>The API server's URL as it may be shown: any user:password@ in the kubeconfig's server URL is masked.</summary>
    public Uri Server => new(UrlRedaction.Redact(_client.BaseUri));

    /// <summary>KubernetesClient itself, for what raw JSON requests cannot do (WebSocket port-forwards).</summary>
    internal k8s.Kubernetes Api => _client;

    public int MaxAttempts { get; init; } = 6;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Connects with a kubeconfig (default: KUBECONFIG or ~/.kube/config) and context (default: its current one).</summary>
    public static KubeClient Connect(string? kubeconfig = null, string? context = null)
    {
        var config = Kubeconfig.Build(kubeconfig, context);
        return new KubeClient(new k8s.Kubernetes(config), config.Namespace ?? "default", context ?? config.CurrentContext);
    }

    /// <summary>As <see cref="Connect(string?, string?)"/>, with handlers in front of the connection (where tests put a failing network).</summary>
    internal static KubeClient Connect(string? kubeconfig, string? context, params DelegatingHandler[] handlers)
    {
        var config = Kubeconfig.Build(kubeconfig, context);
        return new KubeClient(new k8s.Kubernetes(config, handlers), config.Namespace ?? "default", context ?? config.CurrentContext);
    }

    public async Task<KubeResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan? wait = null;
            try
            {
                using var request = new HttpRequestMessage(method, new Uri(_client.BaseUri, path.TrimStart('/')));
                request.Headers.Accept.ParseAdd("application/json");
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                }

                if (_client.Credentials is not null)
                {
                    await _client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
                }

                using var response = await _client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
                string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var result = new KubeResponse(response.StatusCode, Parse(text));
                bool transient = response.StatusCode is HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
                if (!transient || attempt >= MaxAttempts)
                {
                    return result;
                }

                wait = response.Headers.RetryAfter?.Delta;
            }
            catch (HttpRequestException) when (attempt < MaxAttempts)
            {
                // A reset or refused connection: retried below.
            }
            catch (HttpRequestException ex)
            {
                string server = UrlRedaction.Redact(_client.BaseUri);
                throw new EtlException(EtlErrors.KubeApiUnreachable, $"The Kubernetes API at {server} did not answer: {UrlRedaction.Redact(ex.Message)}",
                    "Check that the cluster is running (minikube status) and that the kubeconfig context points at it.", server, ex);
            }

            double cap = BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
            var delay = wait ?? TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2));
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="SendAsync"/>, but a failure is an error that names the request and the server's message.</summary>
    public async Task<JsonNode?> RequireAsync(HttpMethod method, string path, JsonNode? body, string contentType, string what, CancellationToken cancellationToken)
    {
        var response = await SendAsync(method, path, body, contentType, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccess)
        {
            return response.Body;
        }

        throw Failure(response, what);
    }

    public static EtlException Failure(KubeResponse response, string what)
    {
        var (error, suggestion) = response.Status switch
        {
            HttpStatusCode.NotFound => (EtlErrors.KubeNotFound, "Check the name, the namespace and that the kind's CRD is installed."),
            HttpStatusCode.Conflict => (EtlErrors.KubeConflict, "Another field manager owns these fields; run again with -Force to take them over, or change the other owner."),
            HttpStatusCode.UnprocessableEntity => (EtlErrors.KubeInvalid, "Fix the object as the message says."),
            HttpStatusCode.Unauthorized => (EtlErrors.KubeUnauthorized, "Refresh the cluster credentials in the kubeconfig."),
            HttpStatusCode.Forbidden => (EtlErrors.KubeForbidden, "Use a kube context whose user may do this (cluster-admin for installs)."),
            HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => (EtlErrors.KubeUnavailable, "The API server kept failing after retries; try again."),
            _ => (EtlErrors.KubeRequestFailed, "See the API server's message."),
        };
        return new EtlException(error, $"{what}: {(int)response.Status} {response.Message}", suggestion, what);
    }

    public void Dispose() => _client.Dispose();

    private static JsonNode? Parse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return new JsonObject { ["message"] = text.Length > 500 ? text[..500] : text };
        }
    }

    internal static string Escape(string value) => Uri.EscapeDataString(value);

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
