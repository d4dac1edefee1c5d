namespace ArgoEtl.Core.Notifications;

/// <summary>What New-EtlS3Notification is asked to set up: S3 events under a prefix go to the project's SNS topic.</summary>
public sealed record S3NotificationRequest
{
    public required string Project { get; init; }

    public required string Bucket { get; init; }

    /// <summary>Only keys under this prefix fire (e.g. input/); empty means the whole bucket.</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>Only keys ending with this (e.g. .csv); empty means any.</summary>
    public string Suffix { get; init; } = string.Empty;

    public IReadOnlyList<string> Events { get; init; } = ["s3:ObjectCreated:*"];

    /// <summary>The IAM role the SNS event source runs as (an EKS node role or an IRSA role); null skips the IAM policies.</summary>
    public string? RoleName { get; init; }

    /// <summary>Where the workflow writes results (granted s3:PutObject); null derives it: input/ → output/, otherwise the prefix.</summary>
    public string? OutputPrefix { get; init; }

    public string ResolvedOutputPrefix => OutputPrefix
        ?? (Prefix.StartsWith("input/", StringComparison.Ordinal) ? string.Concat("output/", Prefix.AsSpan(6)) : Prefix);
}
