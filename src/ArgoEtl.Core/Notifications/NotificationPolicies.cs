using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Notifications;

/// <summary>
/// The least-privilege policy documents: S3 may publish to the topic only for this bucket and this account (both
/// conditions, so another account's bucket of the same name cannot publish); the event source's role may only subscribe
/// to this topic and read/write this bucket's prefixes.
/// </summary>
public static class NotificationPolicies
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string StatementId(string bucket) => $"argoetl-s3-publish-{bucket}";

    /// <summary>
    /// The topic policy with ArgoEtl's statement for <paramref name="bucket"/> added or replaced; other statements
    /// (SNS's default owner statement, anything the user added) are kept.
    /// </summary>
    public static string TopicPolicy(string? existing, string topicArn, string bucketArn, string account, string bucket)
    {
        var policy = TryParse(existing) ?? new JsonObject { ["Version"] = "2012-10-17", ["Id"] = "argoetl-topic-policy" };
        var statements = policy["Statement"] as JsonArray ?? [];
        var kept = statements.Where(s => s?["Sid"]?.GetValue<string>() != StatementId(bucket)).Select(s => s!.DeepClone()).ToList();
        kept.Add(new JsonObject
        {
            ["Sid"] = StatementId(bucket),
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "s3.amazonaws.com" },
            ["Action"] = "SNS:Publish",
            ["Resource"] = topicArn,
            ["Condition"] = new JsonObject
            {
                ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = bucketArn },
                ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = account },
            },
        });
        policy["Statement"] = new JsonArray([.. kept]);
        return policy.ToJsonString(Compact);
    }

    /// <summary>Whether the topic policy already lets S3 publish for this bucket and account exactly as ArgoEtl sets it.</summary>
    public static bool TopicPolicyAllows(string? policy, string topicArn, string bucketArn, string account, string bucket) =>
        policy is not null && SameJson(TopicPolicy(policy, topicArn, bucketArn, account, bucket), policy);

    public static string SubscribePolicy(string topicArn) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Sid"] = "ArgoEventsSnsSubscribe",
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray("sns:Subscribe", "sns:ConfirmSubscription"),
            ["Resource"] = topicArn,
        }),
    }.ToJsonString(Compact);

    public static string BucketPolicy(string partition, string bucket, string prefix, string outputPrefix)
    {
        string bucketArn = $"arn:{partition}:s3:::{bucket}";
        var statements = new JsonArray(
            new JsonObject
            {
                ["Sid"] = "ReadInput",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray("s3:GetObject"),
                ["Resource"] = $"{bucketArn}/{prefix}*",
            },
            new JsonObject
            {
                ["Sid"] = "WriteOutput",
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray("s3:PutObject", "s3:AbortMultipartUpload"),
                ["Resource"] = $"{bucketArn}/{outputPrefix}*",
            },
            new JsonObject
            {
                ["Sid"] = "ListPrefixes",
                ["Effect"] = "Allow",
                ["Action"] = "s3:ListBucket",
                ["Resource"] = bucketArn,
                ["Condition"] = new JsonObject { ["StringLike"] = new JsonObject { ["s3:prefix"] = new JsonArray($"{prefix}*", $"{outputPrefix}*") } },
            });
        return new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString(Compact);
    }

    /// <summary>The buckets a topic policy lets publish through ArgoEtl statements (how Get finds a project's bucket).</summary>
    public static IReadOnlyList<string> BucketsIn(string? policy)
    {
        var statements = TryParse(policy)?["Statement"] as JsonArray;
        return statements is null ? [] : [.. statements
            .Select(s => s?["Sid"]?.GetValue<string>())
            .Where(sid => sid is not null && sid.StartsWith("argoetl-s3-publish-", StringComparison.Ordinal))
            .Select(sid => sid!["argoetl-s3-publish-".Length..])];
    }

    public static bool SameJson(string? a, string? b) =>
        a is not null && b is not null && JsonNode.DeepEquals(TryParse(a), TryParse(b));

    private static JsonObject? TryParse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
