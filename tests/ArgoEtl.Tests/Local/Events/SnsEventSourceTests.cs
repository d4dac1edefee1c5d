using System.Net;
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
}
