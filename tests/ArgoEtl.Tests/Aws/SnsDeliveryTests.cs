using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ArgoEtl.Core.Notifications;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Testing;
using ArgoEtl.TestServers.Aws;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Aws;

/// <summary>
/// SNS delivery over HTTP by the local AWS endpoint, end to end with real parts: an object put to s3rver, the bucket
/// notification New-EtlS3Notification's service made, the topic, and the local target's sns source that subscribes,
/// confirms with the token, verifies each message's signature and unsubscribes at stop.
/// </summary>
public sealed class SnsDeliveryTests
{
    private const string Bucket = "etl";

    private static AmazonS3Client S3rverClient(S3rver s3) => new(new BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey), new AmazonS3Config
    {
        ServiceURL = s3.Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    private static async Task<EtlS3Notification> NotificationAsync(LocalAws aws)
    {
        aws.State.AddBucket(Bucket, "us-east-1");
        using var session = aws.Session("us-east-1");
        var service = new S3NotificationService(session);
        var plan = await service.PlanCreateAsync(new S3NotificationRequest { Project = "s3-etl", Bucket = Bucket, Prefix = "input/", Suffix = ".csv" }, default);
        return await S3NotificationService.ApplyAsync(plan, null, default);
    }

    private static SnsEventDefinition Source(int port, string topicArn, Uri endpoint) => Single<SnsEventDefinition>($$"""
        kind: EventSource
        metadata:
          name: s3
        spec:
          sns:
            csv:
              topicArn: {{topicArn}}
              endpoint: {{endpoint}}
              validateSignature: true
              accessKey: {name: aws, key: access-key}
              secretKey: {name: aws, key: secret-key}
              webhook:
                endpoint: /s3
                port: "{{port}}"
                method: POST
        """);

    [Fact]
    public async Task AnObjectPutToS3rverReachesTheSubscribedSnsSourceAsASignedS3Notification()
    {
        await using var aws = await LocalAws.StartAsync();
        var notification = await NotificationAsync(aws);
        using var s3 = ArgoEtl.Testing.Substrates.StartS3rver(new Uri(aws.Server.Endpoint, "/_argoetl/s3/events"));
        using var client = S3rverClient(s3);
        await client.PutBucketAsync(Bucket);

        var collector = new Collector();
        var options = new LocalEventSourceOptions
        {
            Secrets = r => r.Key == "access-key" ? AwsState.AccessKeyId : AwsState.SecretAccessKey,
            VerifySnsSignatures = true,
            SnsSigningCertificates = (_, _) => Task.FromResult(aws.State.Sns.CertificatePem),
        };
        int port = RunningProcess.FreePort();
        var source = new LocalSnsEventSource(Source(port, notification.TopicArn, aws.Server.Endpoint), collector.Sink, options);
        await using (source)
        {
            await source.StartAsync();
            await aws.State.Sns.IdleAsync();
            var subscription = Assert.Single(aws.State.SubscriptionsOf(notification.TopicArn));
            Assert.True(subscription.Confirmed);
            Assert.Equal($"http://127.0.0.1:{port}/s3", subscription.Endpoint);
            Assert.Equal(subscription.Arn, source.SubscriptionArn);

            // Outside the prefix first: S3 sends nothing for it, so the first event must be the second put.
            await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "other/x.csv", ContentBody = "a\n1\n", UseChunkEncoding = false });
            await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "input/day 1.csv", ContentBody = "no,name\n1,a\n", UseChunkEncoding = false });

            var e = await collector.NextAsync();
            Assert.Equal(("s3", "sns", "csv"), (e.Context.Source, e.Context.Type, e.Context.Subject));
            var body = e.Data!["body"]!;
            Assert.Equal("Notification", (string?)body["Type"]);
            Assert.Equal("Amazon S3 Notification", (string?)body["Subject"]);
            Assert.Equal(notification.TopicArn, (string?)body["TopicArn"]);
            Assert.Equal("Notification", (string?)e.Data!["header"]!["X-Amz-Sns-Message-Type"]![0]);
            var record = JsonNode.Parse(body["Message"]!.GetValue<string>())!["Records"]![0]!;
            Assert.Equal("ObjectCreated:Put", (string?)record["eventName"]);
            Assert.Equal("s3-etl-s3-noti", (string?)record["s3"]!["configurationId"]);
            Assert.Equal("arn:aws:s3:::etl", (string?)record["s3"]!["bucket"]!["arn"]);
            Assert.Equal("input/day+1.csv", (string?)record["s3"]!["object"]!["key"]);
            Assert.Equal(12, (int?)record["s3"]!["object"]!["size"]);
        }

        Assert.Empty(aws.State.SubscriptionsOf(notification.TopicArn));
    }

    [Fact]
    public async Task SubscribeSendsASignedConfirmationWhoseSubscribeUrlConfirmsWithoutASignature()
    {
        await using var aws = await LocalAws.StartAsync();
        var notification = await NotificationAsync(aws);
        int port = RunningProcess.FreePort();
        using var subscriber = new HttpListener();
        subscriber.Prefixes.Add($"http://127.0.0.1:{port}/");
        subscriber.Start();
        async Task<(NameValueHeaders Headers, JsonObject Body)> ReceiveAsync()
        {
            var context = await subscriber.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(20));
            using var reader = new StreamReader(context.Request.InputStream);
            var body = (JsonObject)JsonNode.Parse(await reader.ReadToEndAsync())!;
            var headers = new NameValueHeaders(context.Request.Headers["x-amz-sns-message-type"], context.Request.Headers["x-amz-sns-subscription-arn"], context.Request.ContentType);
            context.Response.StatusCode = 200;
            context.Response.Close();
            return (headers, body);
        }

        using var session = aws.Session("us-east-1");
        string answer = await session.Sns.SubscribeAsync(notification.TopicArn, "http", $"http://127.0.0.1:{port}/hook", default);
        var (headers, confirmation) = await ReceiveAsync();

        Assert.Equal("pending confirmation", answer);
        Assert.Equal("SubscriptionConfirmation", headers.Type);
        Assert.StartsWith("text/plain", headers.ContentType, StringComparison.Ordinal);
        Assert.Equal(notification.TopicArn, (string?)confirmation["TopicArn"]);
        Assert.Matches("^[0-9a-f]{128}$", (string?)confirmation["Token"]);
        Assert.Equal("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-argoetl-test.pem", (string?)confirmation["SigningCertURL"]);
        Assert.True(Verify(aws.State.Sns.CertificatePem, confirmation, ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]));
        Assert.False(Assert.Single(aws.State.SubscriptionsOf(notification.TopicArn)).Confirmed);

        // The SubscribeURL is a plain GET, as SNS's is; then a published message is delivered.
        using (var http = new HttpClient())
        {
            using var confirmed = await http.GetAsync(new Uri((string)confirmation["SubscribeURL"]!));
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        var subscription = Assert.Single(aws.State.SubscriptionsOf(notification.TopicArn));
        Assert.True(subscription.Confirmed);
        Assert.Equal(1, aws.Server.ApplyBucketNotifications((JsonObject)JsonNode.Parse("""
            {"Records":[{"eventName":"ObjectCreated:Put","awsRegion":"us-east-1","s3":{"bucket":{"name":"etl"},"object":{"key":"input/a.csv","size":3}}}]}
            """)!));
        var (notificationHeaders, message) = await ReceiveAsync();
        Assert.Equal("Notification", notificationHeaders.Type);
        Assert.Equal(subscription.Arn, notificationHeaders.SubscriptionArn);
        Assert.Contains("Action=Unsubscribe", (string?)message["UnsubscribeURL"], StringComparison.Ordinal);
        Assert.True(Verify(aws.State.Sns.CertificatePem, message, ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]));
        message["Message"] = "tampered";
        Assert.False(Verify(aws.State.Sns.CertificatePem, message, ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]));

        // Deleting the topic (what Remove-EtlS3Notification does) takes its subscriptions with it.
        await session.Sns.DeleteTopicAsync(notification.TopicArn, default);
        Assert.Empty(aws.State.SubscriptionsOf(notification.TopicArn));
    }

    [Fact]
    public async Task AWrongTokenAndANonHttpProtocolAreRefused()
    {
        await using var aws = await LocalAws.StartAsync();
        var notification = await NotificationAsync(aws);
        using var session = aws.Session("us-east-1");

        var badToken = await Assert.ThrowsAsync<ArgoEtl.Core.Aws.AwsServiceException>(() => session.Sns.ConfirmSubscriptionAsync(notification.TopicArn, "nope", default));
        var badProtocol = await Assert.ThrowsAsync<ArgoEtl.Core.Aws.AwsServiceException>(() => session.Sns.SubscribeAsync(notification.TopicArn, "email", "a@example.org", default));

        Assert.Equal("InvalidParameter", badToken.Code);
        Assert.Equal("InvalidParameter", badProtocol.Code);
        Assert.Empty(aws.State.SubscriptionsOf(notification.TopicArn));
    }

    // What a subscriber checks (upstream's verify(): SHA1withRSA for SignatureVersion 1) over SNS's canonical string.
    private static bool Verify(string pem, JsonObject message, string[] keys)
    {
        var canonical = new StringBuilder();
        foreach (string key in keys)
        {
            if ((string?)message[key] is { Length: > 0 } value)
            {
                canonical.Append(key).Append('\n').Append(value).Append('\n');
            }
        }

        using var certificate = X509Certificate2.CreateFromPem(pem);
        using var rsa = certificate.GetRSAPublicKey()!;
        return rsa.VerifyData(Encoding.UTF8.GetBytes(canonical.ToString()), Convert.FromBase64String((string)message["Signature"]!), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
    }

    private sealed record NameValueHeaders(string? Type, string? SubscriptionArn, string? ContentType);
}
