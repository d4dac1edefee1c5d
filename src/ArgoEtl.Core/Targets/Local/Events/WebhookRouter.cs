using System.Net;
using System.Text;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// The HTTP servers of webhook-based sources (webhook, sns), one per port, shared by every event that names that port —
/// as upstream's route manager does — with a route per endpoint and <c>/health</c> answering 200 "OK". A server starts
/// with its first route and stops with its last. Servers listen on 127.0.0.1 only; the spec's port is used as written.
/// Uses the BCL's HttpListener so the core needs no ASP.NET Core shared framework inside PowerShell.
/// </summary>
public sealed class WebhookRouter : IAsyncDisposable
{
    private readonly Dictionary<int, PortServer> _servers = [];
    private readonly object _gate = new();

    /// <summary>Handles one request on a route; the handler writes and closes the response.</summary>
    public delegate Task RouteHandler(HttpListenerContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a route; disposing the returned handle removes it. Two events on one port and endpoint are an error here
    /// (upstream would silently serve both from the first one's handler).
    /// </summary>
    /// <param name="owner">Who owns the route, for the conflict message (the event's description).</param>
    public IAsyncDisposable Add(int port, string endpoint, string owner, RouteHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            if (!_servers.TryGetValue(port, out var server))
            {
                server = PortServer.Start(port);
                _servers[port] = server;
            }

            if (!server.Routes.TryAdd(endpoint, (owner, handler)))
            {
                throw new EtlException(EtlErrors.WebhookRouteConflict, $"Port {port} endpoint {endpoint} is served twice: by {server.Routes[endpoint].Owner} and by {owner}.",
                    "Give each webhook event its own endpoint (or port).", $"{port}{endpoint}");
            }

            return new Registration(this, port, endpoint);
        }
    }

    /// <summary>The ports with a running server.</summary>
    public IReadOnlyCollection<int> Ports
    {
        get
        {
            lock (_gate)
            {
                return [.. _servers.Keys];
            }
        }
    }

    private async ValueTask RemoveAsync(int port, string endpoint)
    {
        PortServer? stopped = null;
        lock (_gate)
        {
            if (_servers.TryGetValue(port, out var server) && server.Routes.TryRemove(endpoint, out _) && server.Routes.IsEmpty)
            {
                _servers.Remove(port);
                stopped = server;
            }
        }

        if (stopped is not null)
        {
            await stopped.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        PortServer[] servers;
        lock (_gate)
        {
            servers = [.. _servers.Values];
            _servers.Clear();
        }

        foreach (var server in servers)
        {
            await server.StopAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Writes a plain-text response as upstream's SendResponse helpers do, and closes it.</summary>
    internal static async Task RespondAsync(HttpListenerResponse response, int status, string text)
    {
        try
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            response.StatusCode = status;
            response.ContentType = "text/plain; charset=utf-8";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The client went away; nothing to tell it.
        }
    }

    private sealed class Registration(WebhookRouter router, int port, string endpoint) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? router.RemoveAsync(port, endpoint) : ValueTask.CompletedTask;
    }

    private sealed class PortServer : IDisposable
    {
        private readonly HttpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Task> _inFlight = [];
        private Task _loop = Task.CompletedTask;

        private PortServer(HttpListener listener) => _listener = listener;

        public System.Collections.Concurrent.ConcurrentDictionary<string, (string Owner, RouteHandler Handler)> Routes { get; } = new(StringComparer.Ordinal);

        public static PortServer Start(int port)
        {
            var listener = new HttpListener { IgnoreWriteExceptions = true };
            // HttpListener matches the Host header against its prefixes: both loopback names are served.
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Prefixes.Add($"http://localhost:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                throw new EtlException(EtlErrors.WebhookPortInUse, $"Cannot listen on 127.0.0.1:{port} for a webhook event source: {ex.Message}.",
                    "Stop what listens on that port, or give the EventSource another port (a profile patch can do it for local runs).", port, ex);
            }

            var server = new PortServer(listener);
            server._loop = server.AcceptLoopAsync();
            return server;
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                Task task = HandleAsync(context);
                lock (_inFlight)
                {
                    _inFlight.RemoveAll(t => t.IsCompleted);
                    _inFlight.Add(task);
                }
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            string path = context.Request.Url?.AbsolutePath ?? "/";
            try
            {
                if (Routes.TryGetValue(path, out var route))
                {
                    await route.Handler(context, _stop.Token).ConfigureAwait(false);
                }
                else if (path == "/health")
                {
                    await RespondAsync(context.Response, 200, "OK").ConfigureAwait(false);
                }
                else
                {
                    await RespondAsync(context.Response, 404, "404 page not found\n").ConfigureAwait(false);
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                context.Response.Abort();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A handler that failed (a Secret nobody provides, ...) still answers; core messages carry no secrets.
                await RespondAsync(context.Response, 500, ex.Message).ConfigureAwait(false);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _listener.Stop();
            Task[] pending;
            lock (_inFlight)
            {
                pending = [.. _inFlight];
            }

            try
            {
                await Task.WhenAll([_loop, .. pending]).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                // Stopping cancels what was in flight.
            }

            Dispose();
        }

        public void Dispose()
        {
            _listener.Close();
            _stop.Dispose();
        }
    }
}
