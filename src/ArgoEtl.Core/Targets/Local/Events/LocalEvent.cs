using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// The CloudEvents-style context Argo Events gives every event (pkg/apis/events/v1alpha1 EventContext): what Sensors
/// read with contextKey/contextTemplate and context filters.
/// </summary>
/// <param name="Source">The EventSource's name.</param>
/// <param name="Type">The source type: minio, sns, webhook, generic, file, ...</param>
/// <param name="Subject">The event name (the key under spec.&lt;type&gt; in the EventSource).</param>
public sealed record EventContext(string Id, string Source, string SpecVersion, string Type, string DataContentType, string Subject, DateTimeOffset Time)
{
    public static EventContext Create(string source, string type, string subject, DateTimeOffset? time = null) =>
        new(Guid.NewGuid().ToString("N"), source, "1.0", type, "application/json", subject, time ?? DateTimeOffset.UtcNow);

    /// <summary>The context as Sensors see it: {"id","source","specversion","type","datacontenttype","subject","time"}.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["source"] = Source,
        ["specversion"] = SpecVersion,
        ["type"] = Type,
        ["datacontenttype"] = DataContentType,
        ["subject"] = Subject,
        ["time"] = Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// One event as an EventSource emits it towards Sensors: the context plus the data laid out as Argo Events lays it out
/// for that source type (pkg/eventsources/events/event-data.go): minio {notification:[...], metadata}, webhook and sns
/// {header, body}, generic {body, metadata}, file {name, op}.
/// </summary>
public sealed record LocalEvent(EventContext Context, JsonNode? Data)
{
    /// <summary>The dependency key a Sensor matches: eventSourceName + eventName.</summary>
    public string EventSourceName => Context.Source;

    public string EventName => Context.Subject;

    /// <summary>The whole event as useRawData-less keyless parameters see it: {"context": ..., "data": ...}.</summary>
    public JsonObject ToJson() => new() { ["context"] = Context.ToJson(), ["data"] = Data?.DeepClone() };
}
