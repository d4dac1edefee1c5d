namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A <c>spec.generic</c> event: a gRPC server implementing upstream's generic.proto, dialled at <see cref="Url"/>
/// (<c>host:port</c> as gRPC targets are written, or a full http(s) URL).
/// </summary>
/// <param name="Config">Sent as the <c>config</c> bytes of StartEventSource.</param>
/// <param name="Insecure">Plain-text HTTP/2 (h2c) instead of TLS.</param>
/// <param name="JsonBody">Payloads are JSON and go into the event as JSON; otherwise as a base64 string.</param>
public sealed record GenericEventDefinition(
    string EventSourceName,
    string EventName,
    IReadOnlyDictionary<string, string> Metadata,
    string Where,
    string Url,
    string Config,
    bool Insecure,
    bool JsonBody,
    SecretKeyReference? AuthSecret) : EventSourceDefinition(EventSourceName, EventName, Metadata, Where)
{
    public override string Type => "generic";
}
