using System.Globalization;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// Builds S3 event records for a store notification in the two shapes Sensors see: MinIO's (what Argo Events' minio
/// source passes on from ListenBucketNotification, minio-go's notification.Event) and AWS S3's (the <c>Records</c> an
/// S3 bucket publishes to SNS). Field names, omissions and formats follow the two servers.
/// </summary>
public static class S3EventRecords
{
    /// <summary>Who the local store says did it: MinIO reports the access key, AWS a principal id.</summary>
    public const string LocalPrincipal = "argoetl-local";

    /// <summary>A MinIO notification record as minio-go marshals it (<c>eventSource</c> "minio:s3", event name with its s3: prefix).</summary>
    /// <param name="region">The server's region (MinIO's is configurable; us-east-1 by default).</param>
    /// <param name="originEndpoint">The store's URL, reported as x-minio-origin-endpoint.</param>
    public static JsonObject Minio(ObjectStoreNotification n, string region = "us-east-1", string principal = LocalPrincipal, string originEndpoint = "http://127.0.0.1:9000")
    {
        ArgumentNullException.ThrowIfNull(n);
        bool removed = n.EventName.StartsWith("s3:ObjectRemoved:", StringComparison.Ordinal);
        var obj = new JsonObject { ["key"] = n.Key };
        if (!removed)
        {
            // minio-go's objectMeta: size, eTag, contentType and userMetadata are omitempty.
            if (n.Size != 0)
            {
                obj["size"] = n.Size;
            }

            if (Unquote(n.ETag) is { Length: > 0 } etag)
            {
                obj["eTag"] = etag;
            }

            if (!string.IsNullOrEmpty(n.ContentType))
            {
                obj["contentType"] = n.ContentType;
                obj["userMetadata"] = new JsonObject { ["content-type"] = n.ContentType };
            }
        }

        obj["sequencer"] = Sequencer(n.Time);
        return new JsonObject
        {
            ["eventVersion"] = "2.0",
            ["eventSource"] = "minio:s3",
            ["awsRegion"] = region,
            ["eventTime"] = Time(n.Time),
            ["eventName"] = n.EventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = principal },
            ["requestParameters"] = new JsonObject { ["principalId"] = principal, ["region"] = region, ["sourceIPAddress"] = "127.0.0.1" },
            ["responseElements"] = new JsonObject
            {
                ["x-amz-id-2"] = NodeId,
                ["x-amz-request-id"] = Sequencer(n.Time),
                ["x-minio-deployment-id"] = DeploymentId,
                ["x-minio-origin-endpoint"] = originEndpoint,
            },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = "Config",
                ["bucket"] = new JsonObject
                {
                    ["name"] = n.Bucket,
                    ["ownerIdentity"] = new JsonObject { ["principalId"] = principal },
                    ["arn"] = "arn:aws:s3:::" + n.Bucket,
                },
                ["object"] = obj,
            },
            ["source"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = string.Empty, ["userAgent"] = string.Empty },
        };
    }

    /// <summary>An AWS S3 event record (eventVersion 2.1, "aws:s3", event name without s3:, key URL-encoded).</summary>
    public static JsonObject Aws(ObjectStoreNotification n, string region = "us-east-1", string configurationId = "argoetl-local")
    {
        ArgumentNullException.ThrowIfNull(n);
        bool removed = n.EventName.StartsWith("s3:ObjectRemoved:", StringComparison.Ordinal);
        var obj = new JsonObject { ["key"] = S3KeyEncoding.ForAwsRecord(n.Key) };
        if (!removed)
        {
            obj["size"] = n.Size;
            obj["eTag"] = Unquote(n.ETag);
        }

        obj["sequencer"] = Sequencer(n.Time);
        return new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = region,
            ["eventTime"] = Time(n.Time),
            ["eventName"] = S3EventNames.ForAwsRecord(n.EventName),
            ["userIdentity"] = new JsonObject { ["principalId"] = "AWS:" + LocalPrincipal },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = "127.0.0.1" },
            ["responseElements"] = new JsonObject { ["x-amz-request-id"] = Sequencer(n.Time), ["x-amz-id-2"] = NodeId },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = configurationId,
                ["bucket"] = new JsonObject
                {
                    ["name"] = n.Bucket,
                    ["ownerIdentity"] = new JsonObject { ["principalId"] = LocalPrincipal },
                    ["arn"] = "arn:aws:s3:::" + n.Bucket,
                },
                ["object"] = obj,
            },
        };
    }

    /// <summary>S3's and MinIO's event time: UTC with milliseconds (Go layout 2006-01-02T15:04:05.000Z).</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>MinIO's sequencer: the modification time in Unix nanoseconds, upper-case hex.</summary>
    public static string Sequencer(DateTimeOffset time) =>
        ((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString("X", CultureInfo.InvariantCulture);

    private static string Unquote(string etag) => etag.Trim('"');

    /// <summary>Stable per process, as a server's deployment id and node id are.</summary>
    private static readonly string DeploymentId = Guid.NewGuid().ToString();

    private static readonly string NodeId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
}
