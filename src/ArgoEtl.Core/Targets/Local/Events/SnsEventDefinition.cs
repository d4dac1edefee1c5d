namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A <c>spec.sns</c> event: the HTTP endpoint SNS delivers a topic's messages to. Locally nothing subscribes it to the
/// topic (there is no SNS); whoever posts SNS HTTP messages to it (a test, a local SNS, Invoke-EtlPipeline) does.
/// </summary>
/// <param name="ValidateSignature">Upstream verifies each message's signature against AWS's signing certificate;
/// locally that is done only when the running source is told to (see <see cref="LocalSnsEventSource"/>).</param>
public sealed record SnsEventDefinition(
    string EventSourceName,
    string EventName,
    IReadOnlyDictionary<string, string> Metadata,
    string Where,
    WebhookContextSpec Webhook,
    string TopicArn,
    string? Region,
    string? Endpoint,
    string? RoleArn,
    bool ValidateSignature,
    SecretKeyReference? AccessKey,
    SecretKeyReference? SecretKey) : EventSourceDefinition(EventSourceName, EventName, Metadata, Where)
{
    public override string Type => "sns";

    /// <summary>The region S3 records in this topic's messages name: the topic ARN's, else the spec's, else us-east-1.</summary>
    public string EffectiveRegion
    {
        get
        {
            string[] parts = TopicArn.Split(':');
            return parts.Length > 3 && parts[3].Length > 0 ? parts[3] : string.IsNullOrEmpty(Region) ? "us-east-1" : Region;
        }
    }
}
