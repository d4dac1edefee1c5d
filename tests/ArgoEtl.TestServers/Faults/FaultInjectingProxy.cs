using System.Net;
using Microsoft.AspNetCore.Http;

namespace ArgoEtl.TestServers.Faults;

/// <summary>
/// An HTTP proxy in front of a real server (s3rver) that answers chosen requests with a transient S3 error
/// (503 SlowDown) instead of forwarding them, to show that clients retry and that a run that gives up leaves nothing behind.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private LoopbackHost _host = null!;
    private readonly HttpClient _upstream;
    private readonly Uri _target;
    private int _failuresLeft;
    private int _injected;

    private FaultInjectingProxy(Uri target)
    {
        _target = target;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    }

    public Uri Endpoint => _host.Endpoint;

    /// <summary>How many requests were answered with an injected error.</summary>
    public int Injected => _injected;

    /// <summary>Which requests may fail (by method and path); default all.</summary>
    public Func<HttpRequest, bool> Applies { get; set; } = _ => true;

    public static async Task<FaultInjectingProxy> StartAsync(Uri target)
    {
        var proxy = new FaultInjectingProxy(target);
        proxy._host = await LoopbackHost.StartAsync(proxy.HandleAsync).ConfigureAwait(false);
        return proxy;
    }

    /// <summary>The next <paramref name="count"/> matching requests get 503 SlowDown (int.MaxValue: all of them).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (Applies(request) && Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _injected);

            // Read the body first, as a real server would before answering; clients then see a clean response.
            await request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
            context.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>").ConfigureAwait(false);
            return;
        }

        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_target, request.Path + request.QueryString));
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            forward.Content = new StreamContent(request.Body);
        }

        foreach (var header in request.Headers)
        {
            if (header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                forward.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
