using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// Events shaped as an event source would have shaped them, for pushing one event through the Sensors without the
/// source running (Invoke-EtlPipeline -Data / -InputFile).
/// </summary>
public static class InjectedEvents
{
    /// <summary>The definition of <paramref name="eventName"/> in EventSource <paramref name="eventSourceName"/>, or an error listing what exists.</summary>
    public static EventSourceDefinition Find(IEnumerable<EventSourceDefinition> definitions, string eventSourceName, string eventName)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var all = definitions.ToList();
        return all.FirstOrDefault(d => d.EventSourceName == eventSourceName && d.EventName == eventName)
            ?? throw new EtlException(EtlErrors.LocalEventNotFound, $"No EventSource event {eventSourceName}/{eventName} is defined.",
                all.Count == 0 ? "The project defines no EventSource." : "Defined: " + string.Join(", ", all.Select(d => $"{d.EventSourceName}/{d.EventName} ({d.Type})")) + ".",
                $"{eventSourceName}/{eventName}");
    }

    /// <summary>
    /// The event for user data: webhook → <c>{header: {"Content-Type": ["application/json"]}, body: data}</c> (data is the
    /// request body); sns → data is the SNS message if it has a Type, else the Message of a Notification envelope;
    /// generic → <c>{body, metadata}</c> with data as the payload (its JSON text, or the string itself) — base64 unless
    /// jsonBody; minio → data must already be <c>{notification: [...]}</c>; file → data must be <c>{name, op}</c>.
    /// </summary>
    public static LocalEvent FromData(EventSourceDefinition definition, JsonNode? data)
    {
        ArgumentNullException.ThrowIfNull(definition);
        JsonObject shaped = definition switch
        {
            WebhookEventDefinition => new JsonObject
            {
                ["header"] = new JsonObject { ["Content-Type"] = new JsonArray("application/json") },
                ["body"] = data?.DeepClone(),
            },
            SnsEventDefinition sns => SnsData(sns, data),
            GenericEventDefinition generic => new JsonObject
            {
                ["body"] = generic.JsonBody ? data?.DeepClone() : Convert.ToBase64String(Encoding.UTF8.GetBytes(PayloadText(data))),
            },
            MinioEventDefinition when data is JsonObject obj && obj["notification"] is JsonArray => (JsonObject)obj.DeepClone(),
            FileEventDefinition when data is JsonObject obj && obj["name"] is not null && obj["op"] is not null => (JsonObject)obj.DeepClone(),
            _ => throw new EtlException(EtlErrors.InjectedDataShape, $"Data for {definition} must be shaped as that source sends it: " + (definition is MinioEventDefinition ? "{\"notification\": [<S3 record>]}" : "{\"name\": <path>, \"op\": \"CREATE\"}") + ".",
                definition is MinioEventDefinition ? "Use -InputFile to put a file into the store and fire the matching notification instead." : "Pass the file event's name and op.",
                definition.Where),
        };

        if (definition.MetadataJson() is { } metadata && !shaped.ContainsKey("metadata"))
        {
            shaped["metadata"] = metadata;
        }
        else if (definition is FileEventDefinition && !shaped.ContainsKey("metadata"))
        {
            shaped["metadata"] = null;
        }

        return new LocalEvent(definition.NewContext(), shaped);
    }

    /// <summary>
    /// The event for an object put into the store: a MinIO record (minio) or an S3 record inside an SNS Notification
    /// envelope (sns). For minio the key must pass the event's filter and bucket, since otherwise nothing would fire.
    /// </summary>
    /// <param name="eventName">The S3 event name; by default the created-object name the definition listens to.</param>
    public static LocalEvent ForObject(EventSourceDefinition definition, string bucket, string key, long size, string etag, string contentType = "text/csv",
        string? eventName = null, LocalEventSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var time = DateTimeOffset.UtcNow;
        switch (definition)
        {
            case MinioEventDefinition minio:
                var notification = new ObjectStoreNotification(eventName ?? CreatedEventName(minio), bucket, key, size, etag, contentType, time);
                if (!minio.Matches(notification))
                {
                    throw new EtlException(EtlErrors.InjectedObjectFiltered, $"{minio} would not fire for {notification.EventName} on {bucket}/{key}: it listens to bucket {minio.Bucket}, prefix '{minio.Filter.Prefix}', suffix '{minio.Filter.Suffix}', events {string.Join(", ", minio.Events)}.",
                        "Put the file under a key the filter accepts (ObjectFilter.KeyFor gives one).", minio.Where);
                }

                return LocalMinioEventSource.Shape(minio, notification, options);
            case SnsEventDefinition sns:
                var put = new ObjectStoreNotification(eventName ?? "s3:ObjectCreated:Put", bucket, key, size, etag, contentType, time);
                var envelope = SnsMessages.S3Notification(sns.TopicArn, put);
                var data = new JsonObject
                {
                    ["header"] = SnsMessages.Headers(envelope, Encoding.UTF8.GetByteCount(envelope.ToJsonString())),
                    ["body"] = envelope,
                };
                if (sns.MetadataJson() is { } metadata)
                {
                    data["metadata"] = metadata;
                }

                return new LocalEvent(sns.NewContext(time), data);
            default:
                throw new EtlException(EtlErrors.InjectedObjectUnsupported, $"{definition} does not fire for objects put into a bucket; only minio and sns events do.",
                    "Use -Data for this event source, or name a minio or sns EventSource.", definition.Where);
        }
    }

    /// <summary>The bucket and key filter a file must be put under for a minio event to fire; null for other types (an sns event's bucket is configured in S3, not in the EventSource).</summary>
    public static ObjectKeyFilter? ObjectFilter(EventSourceDefinition definition) => (definition as MinioEventDefinition)?.Filter;

    /// <summary>The concrete created-object event name a definition fires for: Put if it listens to it, else its first creation event.</summary>
    public static string CreatedEventName(MinioEventDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        const string put = "s3:ObjectCreated:Put";
        if (definition.Events.Any(e => S3EventNames.Matches(e, put)))
        {
            return put;
        }

        string? concrete = definition.Events.FirstOrDefault(e => e.StartsWith("s3:ObjectCreated:", StringComparison.Ordinal) && !e.EndsWith('*'));
        return concrete ?? throw new EtlException(EtlErrors.InjectedObjectFiltered, $"{definition} listens to no object-creation event ({string.Join(", ", definition.Events)}), so putting a file fires nothing.",
            "Add s3:ObjectCreated:Put (or s3:ObjectCreated:*) to its events.", definition.Where);
    }

    private static JsonObject SnsData(SnsEventDefinition sns, JsonNode? data)
    {
        JsonObject envelope = data is JsonObject obj && obj["Type"] is not null
            ? (JsonObject)obj.DeepClone()
            : SnsMessages.Notification(sns.TopicArn, PayloadText(data));
        return new JsonObject
        {
            ["header"] = SnsMessages.Headers(envelope, Encoding.UTF8.GetByteCount(envelope.ToJsonString())),
            ["body"] = envelope,
        };
    }

    /// <summary>A string is its own text; anything else its JSON.</summary>
    private static string PayloadText(JsonNode? data) =>
        data is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : data?.ToJsonString() ?? "null";
}
