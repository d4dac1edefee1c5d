namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>Where output artifacts go (Argo's default artifact repository): an S3-compatible endpoint, a bucket and its keys.</summary>
public sealed record S3ArtifactRepository(Uri Endpoint, string Bucket, string AccessKey, string SecretKey, string Region = "us-east-1")
{
    public override string ToString() => $"s3 {Endpoint} bucket {Bucket}";
}
