using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Local;
using ArgoEtl.Core.Targets.Local.Events;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>Sensor documents from YAML text (as the renderer hands them over) and events as event sources build them.</summary>
internal static class SensorFixtures
{
    public static ManifestDocument Document(string yaml, string file = "sensor.yaml")
    {
        var doc = YamlFile.Parse(yaml, file).Single();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var obj = (JsonObject)YamlFile.ToJson(doc.Root, lines)!;
        return new ManifestDocument(obj, file, doc.Line, lines);
    }

    public static LocalEvent Event(string source, string name, string? json, DateTimeOffset? time = null, string type = "webhook") =>
        new(EventContext.Create(source, type, name, time ?? new DateTimeOffset(2024, 5, 6, 12, 0, 0, TimeSpan.Zero)), json is null ? null : JsonNode.Parse(json));

    /// <summary>A minio notification as the minio event source emits it (event-data.go: {notification: [record]}).</summary>
    public static LocalEvent MinioPut(string source, string eventName, string bucket, string key) => Event(source, eventName, """
        {"notification":[{"eventVersion":"2.0","eventSource":"minio:s3","awsRegion":"","eventTime":"2024-05-06T12:00:00.000Z",
          "eventName":"s3:ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"Config",
          "bucket":{"name":"BUCKET","ownerIdentity":{"principalId":"minio"},"arn":"arn:aws:s3:::BUCKET"},
          "object":{"key":"KEY","size":42,"eTag":"d41d8cd98f00b204e9800998ecf8427e","contentType":"text/csv","sequencer":"17C9F2D5B1D1B6A1"}}}],
         "metadata":{}}
        """.Replace("BUCKET", bucket, StringComparison.Ordinal).Replace("KEY", key, StringComparison.Ordinal), type: "minio");
}
