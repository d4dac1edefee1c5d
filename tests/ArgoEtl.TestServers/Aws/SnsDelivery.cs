using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace ArgoEtl.TestServers.Aws;

/// <summary>One subscription of a topic: pending until its token is confirmed, then delivered to.</summary>
public sealed record SnsSubscription(string Arn, string TopicArn, string Protocol, string Endpoint, string Token)
{
    public bool Confirmed { get; set; }
}

/// <summary>One HTTP POST the endpoint made to a subscriber: what it sent and what the subscriber answered (0: no answer).</summary>
public sealed record SnsDeliveryAttempt(string Endpoint, string Type, string MessageId, int Status, string Body);

/// <summary>
/// SNS's HTTP(S) delivery, as the SNS developer guide describes it: a Subscribe to an http(s) endpoint POSTs a
/// SubscriptionConfirmation (Token, SubscribeURL); ConfirmSubscription (signed, or the SubscribeURL's unsigned GET)
/// confirms it; each Publish POSTs a Notification to every confirmed subscription. Messages carry the real envelope
/// fields and are signed (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) over SNS's canonical string with a key
/// made per server; its certificate is served at /_argoetl/sns/cert.pem (the SigningCertURL names AWS's host, as the
/// real one does, so a verifier must be pointed at this server's certificate). A failed POST is retried three times.
/// </summary>
public sealed class SnsDelivery : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public SnsDelivery()
    {
        var request = new CertificateRequest("CN=sns.amazonaws.com (ArgoEtl test)", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The PEM certificate whose key signs every message.</summary>
    public string CertificatePem { get; }

    /// <summary>Every POST made, in order.</summary>
    public ConcurrentQueue<SnsDeliveryAttempt> Attempts { get; } = new();

    /// <summary>Deliveries still running (a test waits for them before reading <see cref="Attempts"/>).</summary>
    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();

    public Task IdleAsync() => Task.WhenAll(_inFlight.Keys);

    public static string CertificateUrl(string region) => $"https://sns.{region}.amazonaws.com/SimpleNotificationService-argoetl-test.pem";

    /// <summary>The SubscriptionConfirmation for <paramref name="subscription"/>; its SubscribeURL points at <paramref name="self"/>.</summary>
    public JsonObject Confirmation(SnsSubscription subscription, Uri self, string region)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        string subscribeUrl = $"{self.ToString().TrimEnd('/')}/?Action=ConfirmSubscription&TopicArn={Uri.EscapeDataString(subscription.TopicArn)}&Token={subscription.Token}";
        var message = new JsonObject
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["Token"] = subscription.Token,
            ["TopicArn"] = subscription.TopicArn,
            ["Message"] = $"You have chosen to subscribe to the topic {subscription.TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.",
            ["SubscribeURL"] = subscribeUrl,
            ["Timestamp"] = Now(),
            ["SignatureVersion"] = "1",
        };
        return Sign(message, ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"], region);
    }

    /// <summary>A Notification of <paramref name="body"/> for one subscription.</summary>
    public JsonObject Notification(SnsSubscription subscription, string body, string? subject, string signatureVersion, Uri self, string region)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var message = new JsonObject
        {
            ["Type"] = "Notification",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["TopicArn"] = subscription.TopicArn,
        };
        if (subject is not null)
        {
            message["Subject"] = subject;
        }

        message["Message"] = body;
        message["Timestamp"] = Now();
        message["SignatureVersion"] = signatureVersion;
        Sign(message, ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"], region);
        message["UnsubscribeURL"] = $"{self.ToString().TrimEnd('/')}/?Action=Unsubscribe&SubscriptionArn={Uri.EscapeDataString(subscription.Arn)}";
        return message;
    }

    /// <summary>POSTs <paramref name="message"/> to the subscriber in the background, with SNS's headers.</summary>
    public void Send(SnsSubscription subscription, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        ArgumentNullException.ThrowIfNull(message);
        var task = Task.Run(() => PostAsync(subscription, message));
        _inFlight[task] = true;
        _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    public void Dispose()
    {
        _key.Dispose();
        _http.Dispose();
    }

    private async Task PostAsync(SnsSubscription subscription, JsonObject message)
    {
        string type = (string)message["Type"]!;
        string id = (string)message["MessageId"]!;
        string text = message.ToJsonString();
        for (int attempt = 0; attempt < 4; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt)).ConfigureAwait(false);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint)
            {
                Content = new StringContent(text, Encoding.UTF8),
            };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain; charset=UTF-8");
            request.Headers.TryAddWithoutValidation("x-amz-sns-message-type", type);
            request.Headers.TryAddWithoutValidation("x-amz-sns-message-id", id);
            request.Headers.TryAddWithoutValidation("x-amz-sns-topic-arn", subscription.TopicArn);
            if (type == "Notification")
            {
                request.Headers.TryAddWithoutValidation("x-amz-sns-subscription-arn", subscription.Arn);
            }

            request.Headers.TryAddWithoutValidation("User-Agent", "Amazon Simple Notification Service Agent");
            int status = 0;
            try
            {
                using var response = await _http.SendAsync(request).ConfigureAwait(false);
                status = (int)response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // No answer: retried below, as SNS does for HTTP endpoints.
            }

            Attempts.Enqueue(new SnsDeliveryAttempt(subscription.Endpoint, type, id, status, text));
            if (status is >= 200 and < 300)
            {
                return;
            }
        }
    }

    private JsonObject Sign(JsonObject message, string[] keys, string region)
    {
        var canonical = new StringBuilder();
        foreach (string key in keys)
        {
            if (message[key] is JsonValue value && value.GetValue<string>() is { Length: > 0 } text)
            {
                canonical.Append(key).Append('\n').Append(text).Append('\n');
            }
        }

        var hash = (string?)message["SignatureVersion"] == "2" ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA1;
        message["Signature"] = Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(canonical.ToString()), hash, RSASignaturePadding.Pkcs1));
        message["SigningCertURL"] = CertificateUrl(region);
        return message;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
