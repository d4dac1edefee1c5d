namespace ArgoEtl.Core.Notifications;

/// <summary>
/// One project's S3 → SNS notification as it exists in AWS: the bucket's configuration entry, the SNS topic and the
/// IAM inline policies. Its properties feed the SNS EventSource (TopicArn, Region) and pipe into Remove-EtlS3Notification.
/// </summary>
public sealed class EtlS3Notification
{
    public required string Project { get; init; }

    public required string Bucket { get; init; }

    public string Prefix { get; init; } = string.Empty;

    public string Suffix { get; init; } = string.Empty;

    public IReadOnlyList<string> Events { get; init; } = [];

    public required string Region { get; init; }

    public required string AccountId { get; init; }

    public required string TopicArn { get; init; }

    public required string ConfigurationId { get; init; }

    public string? RoleName { get; init; }

    public IReadOnlyList<string> PolicyNames { get; init; } = [];

    /// <summary>What is missing or different from what New-EtlS3Notification sets up; empty when everything is in place.</summary>
    public IReadOnlyList<string> Drift { get; init; } = [];

    /// <summary>What this call changed (Created, Updated, Unchanged, Removed); empty for objects read with Get.</summary>
    public string? Change { get; init; }

    public override string ToString() => $"{Project}: s3://{Bucket}/{Prefix}*{Suffix} -> {TopicArn}";
}
