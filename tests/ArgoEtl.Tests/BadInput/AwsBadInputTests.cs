using Amazon.Runtime;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Notifications;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Storage;
using ArgoEtl.Tests.Aws;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.BadInput;

/// <summary>Issue 17 cases 12 and 13 against the local AWS endpoint: missing buckets, unreachable endpoints, bad key filters, URLs with passwords.</summary>
public sealed class AwsBadInputTests
{
    private const string Region = "ap-northeast-2";

    private static async Task<EtlException> FailsAsync(Func<Task> call) => await Assert.ThrowsAsync<EtlException>(call);

    [Fact]
    public async Task Get_on_a_bucket_that_does_not_exist_is_a_NoSuchBucket_error_not_an_empty_answer()
    {
        await using var aws = await LocalAws.StartAsync();
        using var session = aws.Session();

        var error = await FailsAsync(() => new S3NotificationService(session).GetAsync("no-such-bucket", null, null, default));

        Assert.Equal("S3BucketNotFound", error.Code);
        Assert.Contains("'no-such-bucket'", error.Message, StringComparison.Ordinal);
        Assert.Contains("NoSuchBucket", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_on_a_bucket_that_does_not_exist_is_a_NoSuchBucket_error_when_nothing_else_is_left()
    {
        await using var aws = await LocalAws.StartAsync();
        using var session = aws.Session();

        var error = await FailsAsync(() => new S3NotificationService(session).PlanRemoveAsync("csv2json", "no-such-bucket", null, null, default));

        Assert.Equal("S3BucketNotFound", error.Code);
        Assert.Equal(0, aws.State.MutatingCalls);
    }

    [Fact]
    public async Task Remove_after_the_bucket_is_gone_still_removes_the_topic_and_says_the_bucket_is_missing()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddTopic($"arn:aws:sns:{Region}:{AwsState.AccountId}:csv2json-s3-noti");
        using var session = aws.Session();

        var plan = await new S3NotificationService(session).PlanRemoveAsync("csv2json", "gone-bucket", null, null, default);

        Assert.Equal(["SNS DeleteTopic"], plan.Changes.Select(c => c.Action));
        Assert.Equal(["BucketMissing"], plan.Result.Drift);
    }

    [Theory]
    [InlineData("input/\nother", "control character (U+000A)")]
    [InlineData("input/\t", "control character (U+0009)")]
    [InlineData("x2000", "2000 bytes")]
    [InlineData("한글x400", "1200 bytes")]
    public async Task New_refuses_a_prefix_S3_cannot_store_before_any_call(string prefix, string why)
    {
        prefix = prefix switch
        {
            "x2000" => new string('x', 2000),
            "한글x400" => string.Concat(Enumerable.Repeat("한", 400)),
            _ => prefix,
        };
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddBucket("etl-landing", Region);
        using var session = aws.Session();

        var error = await FailsAsync(() => new S3NotificationService(session).PlanCreateAsync(new S3NotificationRequest { Project = "csv2json", Bucket = "etl-landing", Prefix = prefix }, default));

        Assert.Equal("InvalidKeyFilter", error.Code);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.State.Calls);
    }

    [Fact]
    public async Task A_suffix_of_exactly_1024_bytes_is_accepted()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddBucket("etl-landing", Region);
        using var session = aws.Session();

        var plan = await new S3NotificationService(session).PlanCreateAsync(new S3NotificationRequest { Project = "csv2json", Bucket = "etl-landing", Suffix = new string('s', 1024) }, default);

        Assert.Equal("Created", plan.Result.Change);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_coded_connection_error_naming_it_without_its_password()
    {
        using var session = new AwsSession(new AwsConnection
        {
            Region = Region,
            EndpointUrl = new Uri("http://probe:AWS-URL-PASS-777@127.0.0.1:1/"),
            Credentials = new BasicAWSCredentials(AwsState.AccessKeyId, AwsState.SecretAccessKey),
        });

        var error = await FailsAsync(() => new S3NotificationService(session).GetAsync("etl-landing", null, null, default));

        Assert.Equal("AwsUnreachable", error.Code);
        Assert.Equal(EtlErrorKind.Connection, error.Kind);
        Assert.Contains("http://***@127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS-URL-PASS-777", error.Message + error.Target, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://probe:PASS@127.0.0.1:1/", "http://***@127.0.0.1:1/")]
    [InlineData("https://user@registry.local:5000/v2/", "https://***@registry.local:5000/v2/")]
    [InlineData("The API at http://a:b@h:1/ and s3://k:s@bucket/x did not answer", "The API at http://***@h:1/ and s3://***@bucket/x did not answer")]
    [InlineData("http://127.0.0.1:1/path?q=a@b", "http://127.0.0.1:1/path?q=a@b")]
    [InlineData("mail me at x@y.z", "mail me at x@y.z")]
    public void Redaction_masks_only_the_userinfo_of_urls(string text, string expected) =>
        Assert.Equal(expected, UrlRedaction.Redact(text));
}
