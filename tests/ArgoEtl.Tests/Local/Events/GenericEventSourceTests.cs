using System.Text;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Testing;
using ArgoEtl.Tests.Local.Events.GenericServer;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Events;

/// <summary>The generic source against a real gRPC server implementing upstream's generic.proto over h2c.</summary>
public sealed class GenericEventSourceTests
{
    private static readonly byte[] JsonPayload = Encoding.UTF8.GetBytes("""{"file":"in/a.csv","size":3}""");
    private static readonly byte[] TextPayload = Encoding.UTF8.GetBytes("not json at all");

    /// <summary>Records each StartEventSource call and streams the two payloads, then holds the stream open.</summary>
    private sealed class EventingServer : Eventing.EventingBase
    {
        public List<(string Name, string Config, string? Authorization)> Calls { get; } = [];

        public override async Task StartEventSource(EventSource request, IServerStreamWriter<Event> responseStream, ServerCallContext context)
        {
            lock (Calls)
            {
                Calls.Add((request.Name, request.Config.ToStringUtf8(), context.RequestHeaders.GetValue("authorization")));
            }

            await responseStream.WriteAsync(new Event { Name = "ignored", Payload = ByteString.CopyFrom(JsonPayload) });
            await responseStream.WriteAsync(new Event { Name = "ignored", Payload = ByteString.CopyFrom(TextPayload) });
            try
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The client hung up.
            }
        }
    }

    private static async Task<WebApplication> StartServerAsync(int port, EventingServer server)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(server);
        var app = builder.Build();
        app.MapGrpcService<EventingServer>();
        await app.StartAsync();
        return app;
    }

    private static GenericEventDefinition Generic(int port, bool jsonBody, string extra = "") => Single<GenericEventDefinition>($$"""
        kind: EventSource
        metadata:
          name: ftp
        spec:
          generic:
            {{(jsonBody ? "json" : "raw")}}:
              url: localhost:{{port}}
              insecure: true
              jsonBody: {{(jsonBody ? "true" : "false")}}
              config: |-
                host: ftp.local
              metadata:
                origin: ftp
        {{extra}}
        """);

    [Fact]
    public async Task PayloadsBecomeBase64BodiesWithoutJsonBody()
    {
        int port = RunningProcess.FreePort();
        var server = new EventingServer();
        await using var app = await StartServerAsync(port, server);
        var collector = new Collector();
        await using var source = new LocalGenericEventSource(Generic(port, jsonBody: false), collector.Sink);
        await source.StartAsync();

        var first = await collector.NextAsync();
        var second = await collector.NextAsync();

        Assert.Equal(("ftp", "generic", "raw"), (first.Context.Source, first.Context.Type, first.Context.Subject));
        Assert.Equal(Convert.ToBase64String(JsonPayload), (string?)first.Data!["body"]);
        Assert.Equal(Convert.ToBase64String(TextPayload), (string?)second.Data!["body"]);
        Assert.Equal("ftp", (string?)first.Data!["metadata"]!["origin"]);
        var call = Assert.Single(server.Calls);
        Assert.Equal(("raw", "host: ftp.local", null), call);
    }

    [Fact]
    public async Task WithJsonBodyAJsonPayloadIsJsonAndAnotherIsDropped()
    {
        int port = RunningProcess.FreePort();
        var server = new EventingServer();
        await using var app = await StartServerAsync(port, server);
        var collector = new Collector();
        var dropped = new TaskCompletionSource<string>();
        var options = new LocalEventSourceOptions { Verbose = m => { if (m.Contains("dropped", StringComparison.Ordinal)) { dropped.TrySetResult(m); } } };
        await using var source = new LocalGenericEventSource(Generic(port, jsonBody: true), collector.Sink, options);
        await source.StartAsync();

        var first = await collector.NextAsync();
        await dropped.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("""{"file":"in/a.csv","size":3}""", first.Data!["body"]!.ToJsonString());
        Assert.False(collector.TryTake(out _));
    }

    [Fact]
    public async Task ABearerTokenIsSentAndDialingIsRetriedUntilTheServerIsUp()
    {
        int port = RunningProcess.FreePort();
        var collector = new Collector();
        var options = new LocalEventSourceOptions
        {
            GenericRetryInterval = TimeSpan.FromMilliseconds(200),
            Secrets = s => s is { Name: "ftp-events", Key: "token" } ? "t0ken" : throw new InvalidOperationException(),
        };
        await using var source = new LocalGenericEventSource(Generic(port, jsonBody: false, extra: "      authSecret: {name: ftp-events, key: token}"), collector.Sink, options);
        await source.StartAsync();
        Assert.Equal(0, source.Connections);

        // The server comes up only after the source has started dialling.
        var server = new EventingServer();
        await using var app = await StartServerAsync(port, server);
        await collector.NextAsync();

        Assert.Equal(1, source.Connections);
        Assert.Equal("Bearer t0ken", Assert.Single(server.Calls).Authorization);
        await source.StopAsync();
    }

    [Fact]
    public async Task WithoutInsecureTheSourceRefusesToStartAsUpstreamNeverConnects()
    {
        var secure = Single<GenericEventDefinition>("""
            kind: EventSource
            metadata:
              name: ftp
            spec:
              generic:
                tls: {url: "localhost:1", config: ""}
            """);
        await using var source = new LocalGenericEventSource(secure, new Collector().Sink);
        var ex = await Assert.ThrowsAsync<EtlException>(() => source.StartAsync());
        Assert.Equal("GenericInsecureRequired", ex.Code);
        Assert.StartsWith("k8s/eventsource.yaml:6:", ex.Message, StringComparison.Ordinal);
    }
}
