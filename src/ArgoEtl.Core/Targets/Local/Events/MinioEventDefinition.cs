namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A <c>spec.minio</c> event (upstream's S3Artifact): the bucket, the key filter and the S3 event names it listens to.
/// Endpoint and credentials name the in-cluster MinIO; the local target serves the bucket from its own store.
/// </summary>
/// <param name="Events">S3 event names as written (<c>s3:ObjectCreated:*</c>, <c>s3:ObjectRemoved:Delete</c>, ...).</param>
public sealed record MinioEventDefinition(
    string EventSourceName,
    string EventName,
    IReadOnlyDictionary<string, string> Metadata,
    string Where,
    ObjectKeyFilter Filter,
    IReadOnlyList<string> Events,
    string? Endpoint,
    string? Region,
    bool Insecure,
    SecretKeyReference? AccessKey,
    SecretKeyReference? SecretKey) : EventSourceDefinition(EventSourceName, EventName, Metadata, Where)
{
    public override string Type => "minio";

    public string Bucket => Filter.Bucket;

    /// <summary>Whether a store notification is one this event fires for: bucket, key filter and event name.</summary>
    public bool Matches(Store.ObjectStoreNotification notification) =>
        Filter.Matches(notification.Bucket, notification.Key) && Events.Any(pattern => S3EventNames.Matches(pattern, notification.EventName));
}
