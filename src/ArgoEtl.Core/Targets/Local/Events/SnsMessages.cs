using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// SNS HTTP(S) messages as SNS delivers them to a subscribed endpoint (the JSON formats in the SNS developer guide):
/// a Notification envelope whose <c>Message</c> is a string, and the headers that come with it. Locally they are
/// unsigned: the Signature is random and the certificate URL names AWS's host only for shape.
/// </summary>
public static class SnsMessages
{
    /// <summary>A Notification envelope carrying <paramref name="message"/> (kept as the string SNS would send).</summary>
    public static JsonObject Notification(string topicArn, string message, string? subject = null, DateTimeOffset? time = null)
    {
        ArgumentNullException.ThrowIfNull(topicArn);
        string region = Region(topicArn);
        string id = Guid.NewGuid().ToString();
        var envelope = new JsonObject
        {
            ["Type"] = "Notification",
            ["MessageId"] = id,
            ["TopicArn"] = topicArn,
        };
        if (subject is not null)
        {
            envelope["Subject"] = subject;
        }

        envelope["Message"] = message;
        envelope["Timestamp"] = S3EventRecords.Time(time ?? DateTimeOffset.UtcNow);
        envelope["SignatureVersion"] = "1";
        envelope["Signature"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(256));
        envelope["SigningCertURL"] = $"https://sns.{region}.amazonaws.com/SimpleNotificationService-local.pem";
        envelope["UnsubscribeURL"] = $"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={topicArn}:{id}";
        return envelope;
    }

    /// <summary>What S3 publishes to a topic for an object event: <c>{"Records":[&lt;AWS S3 record&gt;]}</c> as a JSON string, subject "Amazon S3 Notification".</summary>
    public static JsonObject S3Notification(string topicArn, ObjectStoreNotification n, string? configurationId = null)
    {
        ArgumentNullException.ThrowIfNull(n);
        var records = new JsonObject { ["Records"] = new JsonArray(S3EventRecords.Aws(n, Region(topicArn), configurationId ?? "argoetl-local")) };
        return Notification(topicArn, records.ToJsonString(), "Amazon S3 Notification", n.Time);
    }

    /// <summary>The headers SNS sends with a message, as Go's http.Header shows them to the sns source.</summary>
    public static JsonObject Headers(JsonObject envelope, int contentLength)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        string topicArn = (string?)envelope["TopicArn"] ?? string.Empty;
        return new JsonObject
        {
            ["Accept-Encoding"] = new JsonArray("gzip,deflate"),
            ["Content-Length"] = new JsonArray(contentLength.ToString(CultureInfo.InvariantCulture)),
            ["Content-Type"] = new JsonArray("text/plain; charset=UTF-8"),
            ["User-Agent"] = new JsonArray("Amazon Simple Notification Service Agent"),
            ["X-Amz-Sns-Message-Id"] = new JsonArray((string?)envelope["MessageId"] ?? string.Empty),
            ["X-Amz-Sns-Message-Type"] = new JsonArray((string?)envelope["Type"] ?? string.Empty),
            ["X-Amz-Sns-Subscription-Arn"] = new JsonArray(topicArn + ":argoetl-local"),
            ["X-Amz-Sns-Topic-Arn"] = new JsonArray(topicArn),
        };
    }

    private static string Region(string topicArn)
    {
        string[] parts = topicArn.Split(':');
        return parts.Length > 3 && parts[3].Length > 0 ? parts[3] : "us-east-1";
    }
}
