using System.Xml.Linq;
using ArgoEtl.Core.Notifications;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Aws;

/// <summary>New/Get/Remove of a project's S3 → SNS notification against the signature-checking local AWS endpoint.</summary>
public sealed class S3NotificationTests
{
    private const string Region = "ap-northeast-2";
    private const string Bucket = "etl-landing";
    private const string Role = "eks-node-role";

    // Two entries made by other tools: a queue for reports/ and another team's topic for images/.
    private const string OthersXml = """
        <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <QueueConfiguration><Id>reports-queue</Id><Queue>arn:aws:sqs:ap-northeast-2:123456789012:reports</Queue><Event>s3:ObjectCreated:*</Event>
            <Filter><S3Key><FilterRule><Name>prefix</Name><Value>reports/</Value></FilterRule></S3Key></Filter></QueueConfiguration>
          <TopicConfiguration><Id>images-topic</Id><Topic>arn:aws:sns:ap-northeast-2:123456789012:images</Topic><Event>s3:ObjectCreated:Put</Event>
            <Filter><S3Key><FilterRule><Name>prefix</Name><Value>images/</Value></FilterRule></S3Key></Filter></TopicConfiguration>
        </NotificationConfiguration>
        """;

    private static S3NotificationRequest Request(string project = "csv2json", string prefix = "input/") => new()
    {
        Project = project,
        Bucket = Bucket,
        Prefix = prefix,
        Suffix = ".csv",
        RoleName = Role,
    };

    private static async Task<LocalAws> WorldAsync(bool withOthers = true)
    {
        var aws = await LocalAws.StartAsync();
        aws.State.AddBucket(Bucket, Region);
        aws.State.AddRole(Role);
        if (withOthers)
        {
            aws.State.AddTopic("arn:aws:sns:ap-northeast-2:123456789012:images");
            aws.State.SetNotification(Bucket, OthersXml);
        }

        return aws;
    }

    private static List<string> EntryIds(AwsState state) =>
        [.. XElement.Parse(state.GetNotificationXml(Bucket) ?? "<x/>").Elements().Select(e => e.Elements().First(c => c.Name.LocalName == "Id").Value).Order()];

    private static object Identity(EtlS3Notification n) =>
        new { n.Project, n.Bucket, n.Prefix, n.Suffix, n.Events, n.Region, n.AccountId, n.TopicArn, n.ConfigurationId, n.RoleName, n.PolicyNames };

    private static async Task<EtlS3Notification> CreateAsync(LocalAws aws, S3NotificationRequest request)
    {
        using var session = aws.Session();
        var plan = await new S3NotificationService(session).PlanCreateAsync(request, default);
        return await S3NotificationService.ApplyAsync(plan, null, default);
    }

    private static async Task<S3NotificationService.Plan> RemoveAsync(LocalAws aws, string project)
    {
        using var session = aws.Session();
        var plan = await new S3NotificationService(session).PlanRemoveAsync(project, Bucket, Role, null, default);
        await S3NotificationService.ApplyAsync(plan, null, default);
        return plan;
    }

    [Fact]
    public async Task Create_on_a_bucket_with_two_other_notifications_keeps_both_and_scopes_every_policy()
    {
        await using var aws = await WorldAsync();
        var created = await CreateAsync(aws, Request());

        Assert.Equal(["csv2json-s3-noti", "images-topic", "reports-queue"], EntryIds(aws.State));
        Assert.Equal($"arn:aws:sns:{Region}:{AwsState.AccountId}:csv2json-s3-noti", created.TopicArn);
        Assert.Equal("Created", created.Change);

        string policy = aws.State.TopicAttribute(created.TopicArn, "Policy")!;
        Assert.Contains("\"aws:SourceArn\":\"arn:aws:s3:::etl-landing\"", policy, StringComparison.Ordinal);
        Assert.Contains($"\"aws:SourceAccount\":\"{AwsState.AccountId}\"", policy, StringComparison.Ordinal);

        var policies = aws.State.RolePolicies(Role);
        Assert.Equal(["argoetl-csv2json-s3", "argoetl-csv2json-sns"], policies.Keys.Order());
        Assert.Contains(created.TopicArn, policies["argoetl-csv2json-sns"], StringComparison.Ordinal);
        Assert.Contains("arn:aws:s3:::etl-landing/input/*", policies["argoetl-csv2json-s3"], StringComparison.Ordinal);
        Assert.Contains("arn:aws:s3:::etl-landing/output/*", policies["argoetl-csv2json-s3"], StringComparison.Ordinal);
        Assert.DoesNotContain("\"Resource\":\"*\"", policies["argoetl-csv2json-s3"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_twice_changes_nothing_the_second_time_and_returns_the_same_object()
    {
        await using var aws = await WorldAsync();
        var first = await CreateAsync(aws, Request());
        int mutationsAfterFirst = aws.State.MutatingCalls;
        var second = await CreateAsync(aws, Request());

        Assert.Equal("Unchanged", second.Change);
        Assert.Equal(mutationsAfterFirst, aws.State.MutatingCalls);
        Assert.Equivalent(Identity(first), Identity(second), strict: true);
        Assert.Equal(2, aws.State.TopicArns().Count);
        Assert.Equal(3, EntryIds(aws.State).Count);
    }

    [Fact]
    public async Task A_failing_IAM_step_rolls_back_the_topic_and_the_configuration_entry()
    {
        await using var aws = await WorldAsync();
        string before = aws.State.GetNotificationXml(Bucket)!;
        aws.State.FailNext("PutRolePolicy", 403, "AccessDenied", "User is not authorized to perform: iam:PutRolePolicy", times: 2);

        var error = await Assert.ThrowsAsync<EtlException>(() => CreateAsync(aws, Request()));

        Assert.Equal("AwsAccessDenied", error.Code);
        Assert.Contains("iam:PutRolePolicy", error.Message, StringComparison.Ordinal);
        Assert.Equal(["arn:aws:sns:ap-northeast-2:123456789012:images"], aws.State.TopicArns());
        Assert.Equal(["images-topic", "reports-queue"], EntryIds(aws.State));
        Assert.Equal(XElement.Parse(before).Elements().Count(), XElement.Parse(aws.State.GetNotificationXml(Bucket)!).Elements().Count());
        Assert.Empty(aws.State.RolePolicies(Role));
    }

    [Fact]
    public async Task A_failure_after_the_first_policy_also_removes_that_policy_and_restores_a_policy_that_existed()
    {
        await using var aws = await WorldAsync(withOthers: false);
        await CreateAsync(aws, Request());
        string topicArn = aws.State.TopicArns().Single();
        string oldS3Policy = aws.State.RolePolicies(Role)["argoetl-csv2json-s3"];

        // A second create with a new prefix updates the entry and the S3 policy; the S3 policy write fails.
        aws.State.FailNext("PutRolePolicy", 500, "ServiceFailure", "internal error", times: 5, passFirst: 0);
        var error = await Assert.ThrowsAsync<EtlException>(() => CreateAsync(aws, Request(prefix: "landing/")));

        Assert.Equal("AwsServiceUnavailable", error.Code);
        Assert.Equal([topicArn], aws.State.TopicArns());
        Assert.Equal(oldS3Policy, aws.State.RolePolicies(Role)["argoetl-csv2json-s3"]);
        Assert.Contains("<Value>input/</Value>", aws.State.GetNotificationXml(Bucket), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_policy_written_before_the_failure_is_deleted_again()
    {
        await using var aws = await WorldAsync(withOthers: false);
        aws.State.FailNext("PutRolePolicy", 403, "AccessDenied", "denied", passFirst: 1);

        await Assert.ThrowsAsync<EtlException>(() => CreateAsync(aws, Request()));

        Assert.Empty(aws.State.RolePolicies(Role));
        Assert.Empty(aws.State.TopicArns());
        Assert.Empty(EntryIds(aws.State));
    }

    [Fact]
    public async Task Removing_twice_is_not_an_error_and_another_projects_entry_survives()
    {
        await using var aws = await WorldAsync();
        await CreateAsync(aws, Request("csv2json", "input/"));
        await CreateAsync(aws, Request("csv2parquet", "parquet-in/"));

        var removed = await RemoveAsync(aws, "csv2json");
        Assert.Equal("Removed", removed.Result.Change);
        Assert.Equal(["csv2parquet-s3-noti", "images-topic", "reports-queue"], EntryIds(aws.State));
        Assert.Equal([$"arn:aws:sns:{Region}:{AwsState.AccountId}:csv2parquet-s3-noti", "arn:aws:sns:ap-northeast-2:123456789012:images"], aws.State.TopicArns().Order());
        Assert.Equal(["argoetl-csv2parquet-s3", "argoetl-csv2parquet-sns"], aws.State.RolePolicies(Role).Keys.Order());

        int mutations = aws.State.MutatingCalls;
        var again = await RemoveAsync(aws, "csv2json");
        Assert.Empty(again.Changes);
        Assert.Equal(mutations, aws.State.MutatingCalls);
    }

    [Fact]
    public async Task A_plan_that_is_not_applied_changes_nothing()
    {
        await using var aws = await WorldAsync();
        using var session = aws.Session();
        var plan = await new S3NotificationService(session).PlanCreateAsync(Request(), default);

        Assert.Equal(["SNS CreateTopic", "SNS SetTopicAttributes", "S3 PutBucketNotificationConfiguration", "IAM PutRolePolicy", "IAM PutRolePolicy"],
            plan.Changes.Select(c => string.Join(' ', c.Action.Split(' ').Take(2))));
        Assert.Equal(0, aws.State.MutatingCalls);
    }

    [Theory]
    [InlineData("Bad_Bucket", "InvalidBucketName")]
    [InlineData("s3://etl-landing", "InvalidBucketName")]
    [InlineData("no-such-bucket", "S3BucketNotFound")]
    public async Task Bad_or_missing_buckets_fail_clearly_before_any_change(string bucket, string code)
    {
        await using var aws = await WorldAsync();
        using var session = aws.Session();
        var error = await Assert.ThrowsAsync<EtlException>(() => new S3NotificationService(session).PlanCreateAsync(Request() with { Bucket = bucket }, default));

        Assert.Equal(code, error.Code);
        Assert.Contains(bucket, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, aws.State.MutatingCalls);
        if (code == "InvalidBucketName")
        {
            Assert.Empty(aws.State.Calls);
        }
    }

    [Fact]
    public async Task A_bucket_in_another_region_names_the_region_to_use()
    {
        await using var aws = await WorldAsync();
        aws.State.AddBucket("eu-bucket", "eu-west-1");
        using var session = aws.Session();
        var error = await Assert.ThrowsAsync<EtlException>(() => new S3NotificationService(session).PlanCreateAsync(Request() with { Bucket = "eu-bucket" }, default));

        Assert.Equal("S3BucketInOtherRegion", error.Code);
        Assert.Contains("-Region eu-west-1", error.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_overlapping_entry_of_someone_else_is_reported_as_a_conflict_and_nothing_changes()
    {
        await using var aws = await WorldAsync();
        using var session = aws.Session();
        var error = await Assert.ThrowsAsync<EtlException>(() => new S3NotificationService(session).PlanCreateAsync(Request(prefix: "images/2024/") with { Suffix = string.Empty, Events = ["s3:ObjectCreated:*"] }, default));

        Assert.Equal("S3NotificationConflict", error.Code);
        Assert.Contains("images-topic", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, aws.State.MutatingCalls);
    }

    [Fact]
    public async Task Throttling_is_retried_and_a_missing_role_is_named()
    {
        await using var aws = await WorldAsync();
        aws.State.FailNext("CreateTopic", 400, "Throttling", "Rate exceeded", times: 2);
        var created = await CreateAsync(aws, Request());
        Assert.Equal(3, aws.State.Calls.Count(c => c.Action == "CreateTopic"));
        Assert.Equal("Created", created.Change);

        using var session = aws.Session();
        var error = await Assert.ThrowsAsync<EtlException>(() => new S3NotificationService(session).PlanCreateAsync(Request("other", "other/") with { RoleName = "missing-role" }, default));
        Assert.Equal("IamRoleNotFound", error.Code);
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected_with_SignatureDoesNotMatch_and_the_secret_is_never_echoed()
    {
        await using var aws = await WorldAsync();
        const string wrong = "wrong/Secret/Value/that/must/not/leak";
        using var session = aws.Session(secret: wrong);
        var error = await Assert.ThrowsAsync<EtlException>(() => new S3NotificationService(session).GetAsync(Bucket, null, null, default));

        Assert.Equal("AwsCredentialsRejected", error.Code);
        Assert.Contains("SignatureDoesNotMatch", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AwsState.SecretAccessKey, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(aws.State.Calls);
    }

    [Fact]
    public async Task Get_reports_what_exists_and_the_drift_when_a_part_is_deleted_behind_its_back()
    {
        await using var aws = await WorldAsync();
        var created = await CreateAsync(aws, Request());
        using var session = aws.Session();
        var service = new S3NotificationService(session);

        var found = Assert.Single(await service.GetAsync(Bucket, null, Role, default));
        Assert.Equal(("csv2json", "input/", ".csv", created.TopicArn), (found.Project, found.Prefix, found.Suffix, found.TopicArn));
        Assert.Empty(found.Drift);

        // Someone deletes the topic by hand: Get finds the project from the bucket entry and reports it.
        aws.State.RemoveTopic(created.TopicArn);
        var drifted = Assert.Single(await service.GetAsync(Bucket, null, Role, default));
        Assert.Contains("TopicMissing", drifted.Drift);

        // Found by project alone too (through the topic policy naming the bucket) once the topic is back.
        await CreateAsync(aws, Request());
        var byProject = Assert.Single(await service.GetAsync(null, "csv2json", null, default));
        Assert.Equal(Bucket, byProject.Bucket);

        // With neither, every ArgoEtl topic is found through ListTopics; the other team's 'images' topic is not ArgoEtl's.
        var all = Assert.Single(await service.GetAsync(null, null, null, default));
        Assert.Equal(("csv2json", Bucket), (all.Project, all.Bucket));
    }
}
