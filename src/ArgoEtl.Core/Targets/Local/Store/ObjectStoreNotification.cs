namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// What the local object store tells event sources when an object appears or goes: the facts an S3/MinIO event record
/// carries. EventName is the S3 name ("s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload",
/// "s3:ObjectCreated:Copy", "s3:ObjectRemoved:Delete").
/// </summary>
public sealed record ObjectStoreNotification(string EventName, string Bucket, string Key, long Size, string ETag, string ContentType, DateTimeOffset Time);
