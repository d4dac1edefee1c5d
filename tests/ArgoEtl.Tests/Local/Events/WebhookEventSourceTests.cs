using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Testing;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Events;

/// <summary>Real HTTP requests to the webhook source, answered as upstream's webhook source answers them.</summary>
public sealed class WebhookEventSourceTests
{
    private static readonly HttpClient Http = new();

    private static WebhookEventDefinition Webhook(int port, string endpoint = "/example", string method = "POST", string extra = "") => Single<WebhookEventDefinition>($$"""
        kind: EventSource
        metadata:
          name: hooks
        spec:
          webhook:
            example:
              port: "{{port}}"
              endpoint: {{endpoint}}
              method: {{method}}
        {{extra}}
        """);

    [Fact]
    public async Task AJsonPostBecomesHeaderAndBody()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        await using var source = new LocalWebhookEventSource(Webhook(port, extra: "      metadata: {team: data}"), collector.Sink);
        await source.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/example")
        {
            Content = new StringContent("""{"file":"scores.csv","rows":3}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-custom-header", ["a", "b"]);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", await response.Content.ReadAsStringAsync());
        var e = await collector.NextAsync();
        Assert.Equal(("hooks", "webhook", "example"), (e.Context.Source, e.Context.Type, e.Context.Subject));
        Assert.Equal("""{"file":"scores.csv","rows":3}""", e.Data!["body"]!.ToJsonString());
        Assert.Equal("application/json; charset=utf-8", (string?)e.Data!["header"]!["Content-Type"]![0]);
        Assert.Equal("a, b", (string?)e.Data!["header"]!["X-Custom-Header"]![0]);
        Assert.Null(e.Data!["header"]!["Host"]);
        Assert.Equal("data", (string?)e.Data!["metadata"]!["team"]);
    }

    [Fact]
    public async Task AGetTurnsTheQueryIntoTheBody()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        await using var source = new LocalWebhookEventSource(Webhook(port, method: "GET"), collector.Sink);
        await source.StartAsync();

        // Both loopback names reach the server (HttpListener matches the Host header against its prefixes).
        using var response = await Http.GetAsync($"http://localhost:{port}/example?file=a.csv&tag=x&tag=y");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"file":["a.csv"],"tag":["x","y"]}""", (await collector.NextAsync()).Data!["body"]!.ToJsonString());
    }

    [Fact]
    public async Task AWrongMethodANonJsonBodyAnUnknownPathAndHealthAreAnsweredAsUpstream()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        await using var source = new LocalWebhookEventSource(Webhook(port), collector.Sink);
        await source.StartAsync();
        string url = $"http://127.0.0.1:{port}";

        using var get = await Http.GetAsync(url + "/example");
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        Assert.Equal("http method does not match", await get.Content.ReadAsStringAsync());

        using var text = await Http.PostAsync(url + "/example", new StringContent("hello", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Contains("json: error calling MarshalJSON", await text.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var missing = await Http.PostAsync(url + "/other", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var health = await Http.GetAsync(url + "/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("OK", await health.Content.ReadAsStringAsync());

        Assert.False(collector.TryTake(out _));
    }

    [Fact]
    public async Task AFormPostBecomesItsFieldsAndABearerTokenIsCheckedAndMasked()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        var options = new LocalEventSourceOptions { Secrets = s => s is { Name: "hook", Key: "token" } ? "s3cret" : throw new InvalidOperationException() };
        await using var source = new LocalWebhookEventSource(Webhook(port, extra: "      authSecret: {name: hook, key: token}"), collector.Sink, options);
        await source.StartAsync();
        string url = $"http://127.0.0.1:{port}/example";

        using var anonymous = await Http.PostAsync(url, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Invalid Authorization Header", await anonymous.Content.ReadAsStringAsync());

        using var wrong = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent("{}") };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        using var wrongResponse = await Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal("Invalid Auth token", await wrongResponse.Content.ReadAsStringAsync());

        using var right = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent([new("file", "a b.csv"), new("n", "1")]) };
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var rightResponse = await Http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, rightResponse.StatusCode);
        var e = await collector.NextAsync();
        Assert.Equal("""{"file":["a b.csv"],"n":["1"]}""", e.Data!["body"]!.ToJsonString());
        Assert.Equal(WebhookRequests.MaskedAuthorization, (string?)e.Data!["header"]!["Authorization"]![0]);
    }

    [Fact]
    public async Task EventsOnOnePortShareItsServerAndAFailedDispatchIs500()
    {
        int port = RunningProcess.FreePort();
        var all = EventSourceParser.Parse(Manifest($$"""
            kind: EventSource
            metadata:
              name: hooks
            spec:
              webhook:
                a: {port: "{{port}}", endpoint: /a, method: POST}
                b: {port: "{{port}}", endpoint: /b, method: POST}
            """));
        var collector = new Collector();
        LocalEventSink sink = (e, ct) => e.EventName == "b" ? throw new InvalidOperationException("bus down") : collector.Sink(e, ct);
        await using var set = new LocalEventSourceSet(all, sink);
        await set.StartAsync();

        using var a = await Http.PostAsync($"http://127.0.0.1:{port}/a", new StringContent("[1,2]"));
        using var b = await Http.PostAsync($"http://127.0.0.1:{port}/b", new StringContent("[3]"));

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal("a", (await collector.NextAsync()).EventName);
        Assert.Equal(HttpStatusCode.InternalServerError, b.StatusCode);
        Assert.Equal("failed to record event", await b.Content.ReadAsStringAsync());

        await set.StopAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.PostAsync($"http://127.0.0.1:{port}/a", new StringContent("[1]")));
    }

    [Fact]
    public async Task TwoEventsOnOneRouteAreAConflict()
    {
        int port = RunningProcess.FreePort();
        await using var router = new WebhookRouter();
        var options = new LocalEventSourceOptions { Router = router };
        var collector = new Collector();
        await using var first = new LocalWebhookEventSource(Webhook(port), collector.Sink, options);
        await using var second = new LocalWebhookEventSource(Webhook(port), collector.Sink, options);
        await first.StartAsync();

        var ex = await Assert.ThrowsAsync<EtlException>(() => second.StartAsync());

        Assert.Equal("WebhookRouteConflict", ex.Code);
    }
}
