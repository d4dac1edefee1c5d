namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>A <c>spec.webhook</c> event: an HTTP route; each accepted request becomes one event.</summary>
public sealed record WebhookEventDefinition(string EventSourceName, string EventName, string Where, WebhookContextSpec Webhook)
    : EventSourceDefinition(EventSourceName, EventName, Webhook.Metadata, Where)
{
    public override string Type => "webhook";
}
