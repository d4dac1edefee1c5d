using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Testing;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Events;

/// <summary>Real SNS HTTP messages posted to the sns source; the subscription is confirmed by a real GET.</summary>
public sealed class SnsEventSourceTests
{
    private const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:landing";
    private static readonly HttpClient Http = new();
    private static readonly string[] NotificationSignedFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];

    private static SnsEventDefinition Sns(int port) => Single<SnsEventDefinition>($$"""
        kind: EventSource
        metadata:
          name: landing
        spec:
          sns:
            csv:
              topicArn: {{TopicArn}}
              webhook:
                endpoint: /sns
                port: "{{port}}"
                method: POST
        """);

    [Fact]
    public async Task ASubscriptionConfirmationGetsTheSubscribeUrl()
    {
        // A stand-in for SNS's confirmation endpoint, served here on its own loopback port.
        int confirmPort = RunningProcess.FreePort();
        using var confirmer = new HttpListener();
        confirmer.Prefixes.Add($"http://127.0.0.1:{confirmPort}/");
        confirmer.Start();
        var confirmed = Task.Run(async () =>
        {
            var context = await confirmer.GetContextAsync();
            string query = context.Request.Url!.Query;
            context.Response.StatusCode = 200;
            context.Response.Close();
            return (context.Request.HttpMethod, query);
        });

        int port = RunningProcess.FreePort();
        var collector = new Collector();
        await using var source = new LocalSnsEventSource(Sns(port), collector.Sink);
        await source.StartAsync();
        var confirmation = new JsonObject
        {
            ["Type"] = "SubscriptionConfirmation",
            ["MessageId"] = Guid.NewGuid().ToString(),
            ["Token"] = "2336412f37fb687f5d51e6e2425c464de12884c9",
            ["TopicArn"] = TopicArn,
            ["Message"] = "You have chosen to subscribe to the topic.",
            ["SubscribeURL"] = $"http://127.0.0.1:{confirmPort}/?Action=ConfirmSubscription&TopicArn={TopicArn}&Token=2336412f",
            ["Timestamp"] = "2026-07-10T11:55:11.046Z",
            ["SignatureVersion"] = "1",
            ["Signature"] = "AAAA",
            ["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-x.pem",
        };

        using var response = await Http.PostAsync($"http://127.0.0.1:{port}/sns", new StringContent(confirmation.ToJsonString(), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (method, query) = await confirmed.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("GET", method);
        Assert.Contains("Action=ConfirmSubscription", query, StringComparison.Ordinal);
        Assert.Equal(1, source.ConfirmedSubscriptions);
        Assert.False(collector.TryTake(out _));
    }

    [Fact]
    public async Task ANotificationBecomesHeaderAndTheSnsBodyWithMessageAsAString()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        await using var source = new LocalSnsEventSource(Sns(port), collector.Sink);
        await source.StartAsync();
        string records = """{"Records":[{"eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"etl"},"object":{"key":"input/a+b.csv"}}}]}""";
        var envelope = SnsMessages.Notification(TopicArn, records, "Amazon S3 Notification");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/sns")
        {
            Content = new StringContent(envelope.ToJsonString(), Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("x-amz-sns-message-type", "Notification");
        request.Headers.Add("x-amz-sns-topic-arn", TopicArn);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var e = await collector.NextAsync();
        Assert.Equal(("landing", "sns", "csv"), (e.Context.Source, e.Context.Type, e.Context.Subject));
        Assert.Equal("Notification", (string?)e.Data!["header"]!["X-Amz-Sns-Message-Type"]![0]);
        var body = e.Data!["body"]!;
        Assert.Equal(TopicArn, (string?)body["TopicArn"]);
        Assert.Equal(records, body["Message"]!.GetValue<string>());
        Assert.Equal("input/a+b.csv", (string?)JsonNode.Parse(body["Message"]!.GetValue<string>())!["Records"]![0]!["s3"]!["object"]!["key"]);
    }

    [Fact]
    public async Task ABodyThatIsNotAnSnsMessageIs400()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        await using var source = new LocalSnsEventSource(Sns(port), collector.Sink);
        await source.StartAsync();

        using var notJson = await Http.PostAsync($"http://127.0.0.1:{port}/sns", new StringContent("Type=Notification"));
        using var notObject = await Http.PostAsync($"http://127.0.0.1:{port}/sns", new StringContent("null"));

        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notObject.StatusCode);
        Assert.Equal("bad request, not a valid SNS notification", await notObject.Content.ReadAsStringAsync());
        Assert.False(collector.TryTake(out _));
    }

    [Fact]
    public async Task WithVerificationOnASignedMessagePassesAndATamperedOneIs400()
    {
        // A signing certificate of our own, handed out for the SigningCertURL as AWS would serve its own.
        using var key = RSA.Create(2048);
        var certificateRequest = new CertificateRequest("CN=sns.eu-west-1.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = certificateRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string pem = certificate.ExportCertificatePem();
        var fetched = new List<Uri>();
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        var options = new LocalEventSourceOptions
        {
            VerifySnsSignatures = true,
            SnsSigningCertificates = (uri, _) => { fetched.Add(uri); return Task.FromResult(pem); },
        };
        var definition = Sns(port) with { ValidateSignature = true };
        await using var source = new LocalSnsEventSource(definition, collector.Sink, options);
        await source.StartAsync();

        var envelope = SnsMessages.Notification(TopicArn, "{\"Records\":[]}", "Amazon S3 Notification");
        envelope["SigningCertURL"] = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem";
        // SNS signature version 1: SHA1withRSA over "Name\nvalue\n" for Message, MessageId, Subject, Timestamp, TopicArn, Type.
        string canonical = string.Concat(NotificationSignedFields.Select(name => $"{name}\n{(string?)envelope[name]}\n"));
        envelope["Signature"] = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(canonical), HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));

        using var signed = await Http.PostAsync($"http://127.0.0.1:{port}/sns", new StringContent(envelope.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.Equal("{\"Records\":[]}", (await collector.NextAsync()).Data!["body"]!["Message"]!.GetValue<string>());

        envelope["Message"] = "{\"Records\":[{}]}";
        using var tampered = await Http.PostAsync($"http://127.0.0.1:{port}/sns", new StringContent(envelope.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        Assert.Equal("message signature check error", await tampered.Content.ReadAsStringAsync());

        envelope["SigningCertURL"] = $"http://127.0.0.1:{port}/cert.pem";
        using var foreignCertificate = await Http.PostAsync($"http://127.0.0.1:{port}/sns", new StringContent(envelope.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, foreignCertificate.StatusCode);
        Assert.Equal(2, fetched.Count);
        Assert.False(collector.TryTake(out _));
    }
}
