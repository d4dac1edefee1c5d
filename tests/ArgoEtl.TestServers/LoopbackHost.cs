using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArgoEtl.TestServers;

/// <summary>A Kestrel host on 127.0.0.1 that sends every request to one handler: what each stand-in server runs on.</summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <param name="port">0 picks a free port.</param>
    public static async Task<LoopbackHost> StartAsync(RequestDelegate handler, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();
        app.Run(handler);
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackHost(app, new Uri(app.Urls.First()));
    }

    /// <summary>Until the process is stopped (SIGTERM/Ctrl+C).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
