using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// One event of an EventSource (the key under <c>spec.&lt;type&gt;</c>), as the local target reads it. Subtypes carry
/// the fields of each source type; <see cref="EventSourceParser"/> builds them and rejects what the local target
/// cannot honour.
/// </summary>
/// <param name="EventSourceName">metadata.name of the EventSource: the <c>source</c> of every event it emits.</param>
/// <param name="EventName">The key under spec.&lt;type&gt;: the <c>subject</c> of every event it emits.</param>
/// <param name="Metadata">The spec's <c>metadata</c> map, passed along in the event data as upstream does.</param>
/// <param name="Where">file:line of the event's definition.</param>
public abstract record EventSourceDefinition(string EventSourceName, string EventName, IReadOnlyDictionary<string, string> Metadata, string Where)
{
    /// <summary>The source type as Argo Events names it in the event context: minio, webhook, sns, generic, file.</summary>
    public abstract string Type { get; }

    /// <summary>A fresh context for one event of this definition.</summary>
    public EventContext NewContext(DateTimeOffset? time = null) => EventContext.Create(EventSourceName, Type, EventName, time);

    /// <summary>The metadata map as event data carries it, or null when empty (upstream's <c>omitempty</c>).</summary>
    internal JsonObject? MetadataJson()
    {
        if (Metadata.Count == 0)
        {
            return null;
        }

        var obj = new JsonObject();
        foreach (var (key, value) in Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return obj;
    }

    public override string ToString() => $"{Type} event '{EventName}' of EventSource {EventSourceName} ({Where})";
}
