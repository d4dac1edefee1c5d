namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// S3 event names as MinIO knows them (minio-go pkg/notification, MinIO's docs) and how a configured name matches an
/// emitted one: exactly, or by a trailing <c>*</c> (<c>s3:ObjectCreated:*</c> covers Put, Post, Copy and
/// CompleteMultipartUpload).
/// </summary>
public static class S3EventNames
{
    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
        "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:PutRetention", "s3:ObjectCreated:PutLegalHold",
        "s3:ObjectCreated:PutTagging", "s3:ObjectCreated:DeleteTagging",
        "s3:ObjectAccessed:*", "s3:ObjectAccessed:Get", "s3:ObjectAccessed:Head", "s3:ObjectAccessed:GetRetention",
        "s3:ObjectAccessed:GetLegalHold", "s3:ObjectAccessed:Attributes",
        "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed",
        "s3:ObjectTransition:*", "s3:ObjectTransition:Failed", "s3:ObjectTransition:Complete",
        "s3:Replication:*", "s3:ReducedRedundancyLostObject", "s3:BucketCreated", "s3:BucketRemoved",
    };

    public static bool Matches(string pattern, string eventName) =>
        pattern.EndsWith('*')
            ? eventName.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : string.Equals(pattern, eventName, StringComparison.Ordinal);

    /// <summary>The name as AWS writes it in S3 event records: without the <c>s3:</c> prefix (<c>ObjectCreated:Put</c>).</summary>
    public static string ForAwsRecord(string eventName) =>
        eventName.StartsWith("s3:", StringComparison.Ordinal) ? eventName[3..] : eventName;
}
