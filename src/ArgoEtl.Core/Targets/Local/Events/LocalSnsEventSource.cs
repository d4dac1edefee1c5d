using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A running sns event: the HTTP endpoint SNS posts a topic's messages to (upstream sources/awssns/start.go). A body
/// that is not an SNS message is 400. A Notification becomes
/// <c>{"header": {...}, "body": &lt;the SNS message as posted&gt;, "metadata"?: {...}}</c> — the body's Message stays a
/// JSON string — and 200 "success".
/// When an SNS endpoint other than AWS is known — the spec's <c>endpoint</c>, <see cref="LocalEventSourceOptions.SnsEndpoint"/>,
/// or AWS_ENDPOINT_URL_SNS / AWS_ENDPOINT_URL — the source does what upstream does at start: it subscribes its own
/// address (http://127.0.0.1:&lt;port&gt;&lt;endpoint&gt;, since that is where it listens; the spec's url is the
/// cluster's) to the topic, confirms the SubscriptionConfirmation with the ConfirmSubscription API and the token, and
/// unsubscribes at stop. Credentials: the spec's accessKey/secretKey Secrets, else the AWS SDK's chain. Without such an
/// endpoint nothing subscribes it (real SNS cannot reach a loopback address), and a SubscriptionConfirmation posted
/// to it is confirmed by a GET of its SubscribeURL (what the SNS docs allow).
/// </summary>
public sealed partial class LocalSnsEventSource : ILocalEventSource
{
    private readonly SnsEventDefinition _definition;
    private readonly LocalEventSink _sink;
    private readonly LocalEventSourceOptions _options;
    private readonly WebhookEndpoint _endpoint;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public LocalSnsEventSource(SnsEventDefinition definition, LocalEventSink sink, LocalEventSourceOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _options = options ?? new LocalEventSourceOptions();
        _endpoint = new WebhookEndpoint(_definition, _definition.Webhook, _options);
        _ownsHttp = _options.HttpClient is null;
        _http = _options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    public EventSourceDefinition Definition => _definition;

    /// <summary>Subscription confirmations done (the SubscribeURLs fetched), for status and tests.</summary>
    public int ConfirmedSubscriptions => _confirmed;

    private int _confirmed;

    /// <summary>The subscription this source made and confirmed, or null.</summary>
    public string? SubscriptionArn => _subscriptionArn;

    private string? _subscriptionArn;
    private Aws.AwsSession? _aws;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_definition.ValidateSignature && !_options.VerifySnsSignatures)
        {
            _options.Verbose?.Invoke($"{_definition}: validateSignature is not enforced by the local target (no AWS signing certificate is reachable); messages are accepted unsigned.");
        }

        _endpoint.Start(HandleAsync);
        if (SnsEndpoint() is { } sns)
        {
            await SubscribeAsync(sns, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The address SNS is asked to deliver to: where this source listens.</summary>
    public string SubscribedUrl => $"http://127.0.0.1:{_definition.Webhook.Port}{(_definition.Webhook.Endpoint.StartsWith('/') ? string.Empty : "/")}{_definition.Webhook.Endpoint}";

    private Uri? SnsEndpoint()
    {
        if (Uri.TryCreate(_definition.Endpoint, UriKind.Absolute, out var fromSpec) && fromSpec.Scheme is "http" or "https")
        {
            return fromSpec;
        }

        return _options.SnsEndpoint ?? new ArgoEtl.Etl.Aws.AwsConnection().ResolveEndpoint("sns");
    }

    private async Task SubscribeAsync(Uri sns, CancellationToken cancellationToken)
    {
        Amazon.Runtime.AWSCredentials? credentials = _definition.AccessKey is { } access && _definition.SecretKey is { } secret
            ? new Amazon.Runtime.BasicAWSCredentials(_options.ResolveSecret(access, _definition), _options.ResolveSecret(secret, _definition))
            : null;
        try
        {
            _aws = new Aws.AwsSession(new ArgoEtl.Etl.Aws.AwsConnection { EndpointUrl = sns, Region = _definition.EffectiveRegion, Credentials = credentials });
            await _aws.Sns.SubscribeAsync(_definition.TopicArn, "http", SubscribedUrl, cancellationToken).ConfigureAwait(false);
            _options.Verbose?.Invoke($"{_definition}: subscribed {SubscribedUrl} to {_definition.TopicArn} at {sns}.");
        }
        catch (Exception ex) when (ex is Aws.AwsServiceException or (EtlException { Code: not "LocalSnsSubscribeFailed" }))
        {
            throw new EtlException("LocalSnsSubscribeFailed", EtlErrorKind.Connection,
                $"{_definition.Where}: {_definition} could not subscribe {SubscribedUrl} to {_definition.TopicArn} at {sns}: {ex.Message}",
                "Check that the topic exists (New-EtlS3Notification makes it) and that the credentials may sns:Subscribe to it.", _definition.Where, ex);
        }
    }

    public async Task StopAsync()
    {
        await _endpoint.StopAsync().ConfigureAwait(false);
        if (_aws is { } aws)
        {
            _aws = null;
            if (Interlocked.Exchange(ref _subscriptionArn, null) is { } subscription)
            {
                try
                {
                    await aws.Sns.UnsubscribeAsync(subscription, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is Aws.AwsServiceException or EtlException or HttpRequestException)
                {
                    _options.Verbose?.Invoke($"{_definition}: unsubscribing {subscription} failed: {ex.Message}");
                }
            }

            aws.Dispose();
        }

        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var spec = _definition.Webhook;
        if (!await WebhookRequests.AuthorizeAsync(context, spec, _options, _definition).ConfigureAwait(false))
        {
            return;
        }

        byte[]? body = await WebhookRequests.ReadBodyAsync(context, spec.MaxPayloadSize, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!WebhookRequests.TryParseJson(body, out JsonNode? node, out string error))
        {
            await WebhookRouter.RespondAsync(context.Response, 400, error).ConfigureAwait(false);
            return;
        }

        if (node is not JsonObject message)
        {
            await WebhookRouter.RespondAsync(context.Response, 400, "bad request, not a valid SNS notification").ConfigureAwait(false);
            return;
        }

        if (_definition.ValidateSignature && _options.VerifySnsSignatures)
        {
            string? problem = await VerifyAsync(message, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                await WebhookRouter.RespondAsync(context.Response, 400, problem).ConfigureAwait(false);
                return;
            }
        }

        switch (Text(message, "Type"))
        {
            case "SubscriptionConfirmation":
                string? problemConfirming = await ConfirmAsync(message, cancellationToken).ConfigureAwait(false);
                if (problemConfirming is not null)
                {
                    await WebhookRouter.RespondAsync(context.Response, 400, problemConfirming).ConfigureAwait(false);
                    return;
                }

                break;
            case "Notification":
                await _endpoint.DispatchAsync(context, message, _sink, cancellationToken).ConfigureAwait(false);
                return;
            default:
                // UnsubscribeConfirmation and anything else: accepted, no event (as upstream).
                break;
        }

        await WebhookRouter.RespondAsync(context.Response, 200, string.Empty).ConfigureAwait(false);
    }

    private async Task<string?> ConfirmAsync(JsonObject message, CancellationToken cancellationToken)
    {
        if (_aws is { } aws)
        {
            // As upstream: the ConfirmSubscription API with the message's token, signed with the source's credentials.
            try
            {
                _subscriptionArn = await aws.Sns.ConfirmSubscriptionAsync(_definition.TopicArn, Text(message, "Token") ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Aws.AwsServiceException or EtlException)
            {
                return $"confirming the subscription failed: {ex.Message}";
            }

            Interlocked.Increment(ref _confirmed);
            _options.Verbose?.Invoke($"{_definition}: subscription {_subscriptionArn} confirmed.");
            return null;
        }

        string? url = Text(message, "SubscribeURL");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "SubscriptionConfirmation without a valid SubscribeURL";
        }

        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return $"confirming the subscription failed: GET SubscribeURL answered {(int)response.StatusCode}";
            }
        }
        catch (HttpRequestException ex)
        {
            return $"confirming the subscription failed: {ex.Message}";
        }

        Interlocked.Increment(ref _confirmed);
        _options.Verbose?.Invoke($"{_definition}: subscription to {Text(message, "TopicArn")} confirmed.");
        return null;
    }

    /// <summary>Upstream's verify(): SigningCertURL https on sns.*.amazonaws.com, then the RSA signature over the canonical fields.</summary>
    private async Task<string?> VerifyAsync(JsonObject message, CancellationToken cancellationToken)
    {
        string type = Text(message, "Type") ?? string.Empty;
        string[] keys = type == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(Text(message, "Signature") ?? string.Empty);
        }
        catch (FormatException)
        {
            return "failed to base64 decode signature";
        }

        if (!Uri.TryCreate(Text(message, "SigningCertURL"), UriKind.Absolute, out var certUrl) || certUrl.Scheme != "https" || !SigningHost().IsMatch(certUrl.Host))
        {
            return "failed to verify SigningCertURL: it must be an https URL on an sns.<region>.amazonaws.com host";
        }

        try
        {
            string pem = _options.SnsSigningCertificates is { } fetch
                ? await fetch(certUrl, cancellationToken).ConfigureAwait(false)
                : await _http.GetStringAsync(certUrl, cancellationToken).ConfigureAwait(false);
            using var cert = X509Certificate2.CreateFromPem(pem);
            using RSA? rsa = cert.GetRSAPublicKey();
            var canonical = new StringBuilder();
            foreach (string key in keys)
            {
                if (Text(message, key) is { Length: > 0 } value)
                {
                    canonical.Append(key).Append('\n').Append(value).Append('\n');
                }
            }

            HashAlgorithmName hash = Text(message, "SignatureVersion") == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
            return rsa is not null && rsa.VerifyData(Encoding.UTF8.GetBytes(canonical.ToString()), signature, hash, RSASignaturePadding.Pkcs1)
                ? null
                : "message signature check error";
        }
        catch (Exception ex) when (ex is HttpRequestException or CryptographicException)
        {
            return $"failed to fetch or use the signing cert: {ex.Message}";
        }
    }

    private static string? Text(JsonObject message, string name) =>
        message[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : message[name]?.ToJsonString();

    [GeneratedRegex(@"^sns\.[a-zA-Z0-9\-]{3,}\.amazonaws\.com(\.cn)?$")]
    private static partial Regex SigningHost();
}
