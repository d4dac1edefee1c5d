namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// Upstream's WebhookContext: the HTTP route a webhook-based source (webhook, sns) serves. The local target listens on
/// the loopback interface only.
/// </summary>
/// <param name="Method">The HTTP method the route accepts (webhook); sns routes accept any.</param>
/// <param name="Url">The externally visible URL (sns subscribes it); not used to listen.</param>
/// <param name="MaxPayloadSize">Largest body accepted, 1 MiB by default as upstream.</param>
public sealed record WebhookContextSpec(
    int Port,
    string Endpoint,
    string? Method,
    string? Url,
    SecretKeyReference? AuthSecret,
    long MaxPayloadSize,
    IReadOnlyDictionary<string, string> Metadata,
    string Where)
{
    /// <summary>Upstream's DefaultMaxWebhookPayloadSize.</summary>
    public const long DefaultMaxPayloadSize = 1048576;
}
