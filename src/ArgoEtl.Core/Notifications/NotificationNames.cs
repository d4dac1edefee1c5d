using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Notifications;

/// <summary>
/// The names ArgoEtl gives a project's AWS resources, and checks on user input made before any AWS call, so a bad
/// name fails at once and creates nothing.
/// </summary>
public static partial class NotificationNames
{
    /// <summary>The SNS topic and the bucket configuration id: &lt;project&gt;-s3-noti, as the typical init.sh named them.</summary>
    public static string TopicName(string project) => $"{project}-s3-noti";

    public static string ConfigurationId(string project) => TopicName(project);

    public static string SubscribePolicyName(string project) => $"argoetl-{project}-sns";

    public static string BucketPolicyName(string project) => $"argoetl-{project}-s3";

    /// <summary>The project from a configuration id or topic name that ArgoEtl made; null for anyone else's.</summary>
    public static string? ProjectOf(string idOrTopicName) =>
        idOrTopicName.EndsWith("-s3-noti", StringComparison.Ordinal) && idOrTopicName.Length > 8 ? idOrTopicName[..^8] : null;

    public static void ValidateProject(string project)
    {
        // The topic name (project + "-s3-noti") must be a valid SNS name: letters, digits, '-' and '_', at most 256.
        if (!ProjectPattern().IsMatch(project))
        {
            throw new EtlException(EtlErrors.InvalidProjectName, $"Project name '{project}' cannot be used in AWS resource names.",
                "Use 1-64 letters, digits, '-' or '_' (it becomes the SNS topic '<project>-s3-noti').", project);
        }
    }

    /// <summary>S3's bucket naming rules (general purpose buckets).</summary>
    public static void ValidateBucket(string bucket)
    {
        string? problem = bucket switch
        {
            { Length: < 3 or > 63 } => "must be 3 to 63 characters long",
            _ when !BucketPattern().IsMatch(bucket) => "may contain only lowercase letters, digits, '.' and '-', and must begin and end with a letter or digit",
            _ when bucket.Contains("..", StringComparison.Ordinal) => "must not contain two adjacent periods",
            _ when IpPattern().IsMatch(bucket) => "must not be formatted as an IP address",
            _ when bucket.StartsWith("xn--", StringComparison.Ordinal) || bucket.EndsWith("-s3alias", StringComparison.Ordinal) => "uses a prefix or suffix S3 reserves",
            _ => null,
        };
        if (problem is not null)
        {
            throw new EtlException(EtlErrors.InvalidBucketName, $"Bucket name '{bucket}' is not valid: it {problem}.",
                "Pass the bucket's name as S3 shows it (not an s3:// URI or an ARN).", bucket);
        }
    }

    /// <summary>S3 key filter values: keys are at most 1,024 bytes of UTF-8, and a control character (a newline) is never meant.</summary>
    public static void ValidateKeyFilter(string parameter, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        int bytes = System.Text.Encoding.UTF8.GetByteCount(value);
        int control = value.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') is int c and >= 0 ? c : value.IndexOf('\u007f', StringComparison.Ordinal);
        string? problem = bytes > 1024 ? $"is {bytes} bytes of UTF-8; S3 object keys, and so key filters, are at most 1,024"
            : control >= 0 ? $"has a control character (U+{(int)value[control]:X4}) at position {control + 1}"
            : null;
        if (problem is not null)
        {
            throw new EtlException(EtlErrors.InvalidKeyFilter, $"-{parameter} {problem}.",
                $"Pass the key {(parameter == "Suffix" ? "ending" : "prefix")} as S3 shows it (e.g. input/ or .csv), without newlines or tabs.", parameter);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ProjectPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex(@"^\d+\.\d+\.\d+\.\d+$")]
    private static partial Regex IpPattern();
}
