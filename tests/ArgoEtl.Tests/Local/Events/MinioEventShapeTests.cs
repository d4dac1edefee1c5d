using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Store;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Events;

/// <summary>
/// The minio and sns (S3 record) shapes field by field, against what MinIO's listen API and AWS S3 send: MinIO keeps
/// the key as stored for ListenBucketNotification; AWS URL-encodes it with '+' for a space and keeps '/'.
/// </summary>
public sealed class MinioEventShapeTests
{
    private static readonly DateTimeOffset Time = new(2026, 7, 10, 11, 55, 11, 46, TimeSpan.Zero);

    private const string MinioYaml = """
        kind: EventSource
        metadata:
          name: minio-json
        spec:
          minio:
            put:
              bucket:
                name: etl
              events: ["s3:ObjectCreated:*"]
              filter:
                prefix: input/
                suffix: .csv
              metadata:
                team: data
        """;

    [Fact]
    public void AMinioRecordIsLaidOutAsMinioSendsIt()
    {
        var minio = Single<MinioEventDefinition>(MinioYaml);
        var n = new ObjectStoreNotification("s3:ObjectCreated:Put", "etl", "input/my scores+1.csv", 1234, "\"9b2cf535f27731c974343645a3985328\"", "text/csv", Time);

        var e = LocalMinioEventSource.Shape(minio, n);

        Assert.Equal(("minio-json", "minio", "put"), (e.Context.Source, e.Context.Type, e.Context.Subject));
        var data = Assert.IsType<JsonObject>(e.Data);
        Assert.Equal("data", (string?)data["metadata"]!["team"]);
        var record = Assert.IsType<JsonObject>(Assert.Single(data["notification"]!.AsArray()));
        Assert.Equal("2.0", (string?)record["eventVersion"]);
        Assert.Equal("minio:s3", (string?)record["eventSource"]);
        Assert.Equal("us-east-1", (string?)record["awsRegion"]);
        Assert.Equal("2026-07-10T11:55:11.046Z", (string?)record["eventTime"]);
        Assert.Equal("s3:ObjectCreated:Put", (string?)record["eventName"]);
        Assert.Equal(S3EventRecords.LocalPrincipal, (string?)record["userIdentity"]!["principalId"]);
        Assert.Equal("127.0.0.1", (string?)record["requestParameters"]!["sourceIPAddress"]);
        Assert.NotNull(record["responseElements"]!["x-amz-request-id"]);
        Assert.NotNull(record["source"]);
        var s3 = record["s3"]!;
        Assert.Equal("1.0", (string?)s3["s3SchemaVersion"]);
        Assert.Equal("Config", (string?)s3["configurationId"]);
        Assert.Equal("etl", (string?)s3["bucket"]!["name"]);
        Assert.Equal("arn:aws:s3:::etl", (string?)s3["bucket"]!["arn"]);
        Assert.Equal(S3EventRecords.LocalPrincipal, (string?)s3["bucket"]!["ownerIdentity"]!["principalId"]);
        var obj = s3["object"]!;
        Assert.Equal("input/my scores+1.csv", (string?)obj["key"]);
        Assert.Equal(1234L, (long)obj["size"]!);
        Assert.Equal("9b2cf535f27731c974343645a3985328", (string?)obj["eTag"]);
        Assert.Equal("text/csv", (string?)obj["contentType"]);
        Assert.Equal("text/csv", (string?)obj["userMetadata"]!["content-type"]);
        Assert.Equal(S3EventRecords.Sequencer(Time), (string?)obj["sequencer"]);
        // Unix nanoseconds of 2026-07-10T11:55:11.046Z, upper-case hex, as MinIO prints them.
        Assert.Equal("18C0EB9CC8435D80", S3EventRecords.Sequencer(Time));
    }

    [Fact]
    public void ARemovedObjectRecordHasNoSizeETagOrContentType()
    {
        var record = S3EventRecords.Minio(new ObjectStoreNotification("s3:ObjectRemoved:Delete", "etl", "input/a.csv", 0, string.Empty, string.Empty, Time));
        var obj = record["s3"]!["object"]!.AsObject();
        Assert.Equal(["key", "sequencer"], obj.Select(p => p.Key));
    }

    [Fact]
    public void AnAwsRecordEncodesTheKeyAndDropsTheS3Prefix()
    {
        var record = S3EventRecords.Aws(new ObjectStoreNotification("s3:ObjectCreated:Put", "landing", "in/red flower+é.csv", 10, "\"abc\"", "text/csv", Time), "eu-west-1");
        Assert.Equal(("2.1", "aws:s3", "eu-west-1", "ObjectCreated:Put"),
            ((string?)record["eventVersion"], (string?)record["eventSource"], (string?)record["awsRegion"], (string?)record["eventName"]));
        Assert.Equal("in/red+flower%2B%C3%A9.csv", (string?)record["s3"]!["object"]!["key"]);
        Assert.Equal("abc", (string?)record["s3"]!["object"]!["eTag"]);
        Assert.Equal("in%2Fred+flower%2B%C3%A9.csv", S3KeyEncoding.QueryEscape("in/red flower+é.csv"));
    }

    [Theory]
    [InlineData("etl", "input/scores.csv", "s3:ObjectCreated:Put", true)]
    [InlineData("etl", "input/scores.csv", "s3:ObjectCreated:CompleteMultipartUpload", true)]
    [InlineData("etl", "input/scores.csv", "s3:ObjectRemoved:Delete", false)]
    [InlineData("other", "input/scores.csv", "s3:ObjectCreated:Put", false)]
    [InlineData("etl", "output/scores.csv", "s3:ObjectCreated:Put", false)]
    [InlineData("etl", "input/scores.json", "s3:ObjectCreated:Put", false)]
    [InlineData("etl", "input/.csv", "s3:ObjectCreated:Put", true)]
    public async Task TheRunningSourceFiresOnlyForItsBucketFilterAndEvents(string bucket, string key, string eventName, bool fires)
    {
        var minio = Single<MinioEventDefinition>(MinioYaml);
        var collector = new Collector();
        await using var source = new LocalMinioEventSource(minio, collector.Sink);
        await source.StartAsync();

        bool fired = await source.OnObjectStoreNotificationAsync(new ObjectStoreNotification(eventName, bucket, key, 1, "e", "text/csv", Time));

        Assert.Equal(fires, fired);
        Assert.Equal(fires, collector.TryTake(out _));
    }

    [Fact]
    public void PrefixAndSuffixMustNotOverlap()
    {
        var filter = new ObjectKeyFilter("etl", "a.c", ".csv");
        Assert.False(filter.Matches("etl", "a.csv"));
        Assert.True(filter.Matches("etl", "a.c.csv"));
        Assert.Equal("input/scores.csv", new ObjectKeyFilter("etl", "input/", ".csv").KeyFor("../data/scores.csv"));
        Assert.Equal("input/scores.txt.csv", new ObjectKeyFilter("etl", "input/", ".csv").KeyFor("scores.txt"));
    }

    [Fact]
    public void AnInjectedObjectForSnsIsAnS3RecordInsideAnSnsNotification()
    {
        var sns = Single<SnsEventDefinition>("""
            kind: EventSource
            metadata:
              name: landing
            spec:
              sns:
                csv:
                  topicArn: arn:aws:sns:ap-northeast-2:123456789012:landing
                  webhook:
                    endpoint: /sns
                    port: "12001"
            """);

        var e = InjectedEvents.ForObject(sns, "etl-landing", "input/my scores.csv", 42, "\"e1\"");

        var data = e.Data!.AsObject();
        Assert.Equal("Notification", (string?)data["header"]!["X-Amz-Sns-Message-Type"]![0]);
        var body = data["body"]!.AsObject();
        Assert.Equal(("Notification", "arn:aws:sns:ap-northeast-2:123456789012:landing", "Amazon S3 Notification", "1"),
            ((string?)body["Type"], (string?)body["TopicArn"], (string?)body["Subject"], (string?)body["SignatureVersion"]));
        Assert.True(Guid.TryParse((string?)body["MessageId"], out _));
        // The Message is a JSON string, as SNS delivers it; the records are inside.
        string message = body["Message"]!.GetValue<string>();
        var record = JsonNode.Parse(message)!["Records"]![0]!;
        Assert.Equal("ap-northeast-2", (string?)record["awsRegion"]);
        Assert.Equal("ObjectCreated:Put", (string?)record["eventName"]);
        Assert.Equal("etl-landing", (string?)record["s3"]!["bucket"]!["name"]);
        Assert.Equal("input/my+scores.csv", (string?)record["s3"]!["object"]!["key"]);
        Assert.Equal(42L, (long)record["s3"]!["object"]!["size"]!);
    }

    [Fact]
    public void AnInjectedObjectMustPassTheMinioFilter()
    {
        var minio = Single<MinioEventDefinition>(MinioYaml);
        var key = InjectedEvents.ObjectFilter(minio)!.KeyFor("scores.csv");
        var e = InjectedEvents.ForObject(minio, "etl", key, 5, "e");
        Assert.Equal("input/scores.csv", (string?)e.Data!["notification"]![0]!["s3"]!["object"]!["key"]);
        Assert.Equal("s3:ObjectCreated:Put", (string?)e.Data!["notification"]![0]!["eventName"]);

        var ex = Assert.Throws<EtlException>(() => InjectedEvents.ForObject(minio, "etl", "scores.csv", 5, "e"));
        Assert.Equal("InjectedObjectFiltered", ex.Code);
    }

    [Fact]
    public void InjectedDataIsShapedPerSourceType()
    {
        var all = EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: hooks
            spec:
              webhook:
                example: {port: "12000", endpoint: /example, method: POST}
              generic:
                raw: {url: "localhost:1", metadata: {origin: ftp}}
                json: {url: "localhost:1", jsonBody: true}
            """));
        var payload = JsonNode.Parse("""{"file":"a.csv"}""");

        var webhook = InjectedEvents.FromData(InjectedEvents.Find(all, "hooks", "example"), payload);
        Assert.Equal("""{"header":{"Content-Type":["application/json"]},"body":{"file":"a.csv"}}""", webhook.Data!.ToJsonString());

        var raw = InjectedEvents.FromData(InjectedEvents.Find(all, "hooks", "raw"), payload);
        Assert.Equal("""{"body":"eyJmaWxlIjoiYS5jc3YifQ==","metadata":{"origin":"ftp"}}""", raw.Data!.ToJsonString());

        var json = InjectedEvents.FromData(InjectedEvents.Find(all, "hooks", "json"), payload);
        Assert.Equal("""{"body":{"file":"a.csv"}}""", json.Data!.ToJsonString());

        Assert.Equal("LocalEventNotFound", Assert.Throws<EtlException>(() => InjectedEvents.Find(all, "hooks", "nope")).Code);
    }

    [Fact]
    public async Task TheSetRoutesStoreNotificationsToItsMinioEventsAndNamesTheirBuckets()
    {
        var all = EventSourceParser.Parse(Manifest("""
            kind: EventSource
            metadata:
              name: two
            spec:
              minio:
                csv: {bucket: {name: etl}, events: ["s3:ObjectCreated:*"], filter: {suffix: .csv}}
                gone: {bucket: {name: archive}, events: ["s3:ObjectRemoved:Delete"]}
            """));
        var collector = new Collector();
        var verbose = new List<string>();
        await using var set = new LocalEventSourceSet(all, collector.Sink, new LocalEventSourceOptions { Verbose = verbose.Add });
        await set.StartAsync();

        Assert.Equal(["archive", "etl"], set.Buckets.Order(StringComparer.Ordinal));
        Assert.Equal(1, await set.OnObjectStoreNotificationAsync(new ObjectStoreNotification("s3:ObjectCreated:Copy", "etl", "a.csv", 1, "e", "text/csv", Time)));
        Assert.Equal("csv", (await collector.NextAsync()).EventName);
        Assert.Equal(1, await set.OnObjectStoreNotificationAsync(new ObjectStoreNotification("s3:ObjectRemoved:Delete", "archive", "x", 0, "", "", Time)));
        Assert.Equal("gone", (await collector.NextAsync()).EventName);
        Assert.Equal(0, await set.OnObjectStoreNotificationAsync(new ObjectStoreNotification("s3:ObjectCreated:Put", "etl", "a.json", 1, "e", "application/json", Time)));
        Assert.Contains("matched no minio event", Assert.Single(verbose), StringComparison.Ordinal);

        await set.StopAsync();
        Assert.Equal(0, await set.OnObjectStoreNotificationAsync(new ObjectStoreNotification("s3:ObjectCreated:Put", "etl", "b.csv", 1, "e", "text/csv", Time)));
    }
}
