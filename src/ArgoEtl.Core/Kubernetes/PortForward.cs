using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ArgoEtl.Etl.Storage;
using k8s;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>
/// A local port that reaches a port of a pod, or of a pod behind a service, through the API server (kubectl
/// port-forward without kubectl). Every accepted connection opens its own tunnel to the pod the service selects now,
/// so a replaced pod or a dropped tunnel costs at most one retry, never the forward (skaffold#4518/#6480, tilt#6653:
/// forwards that stay bound to a pod that is gone). A health check opens a tunnel every <see cref="HealthInterval"/>
/// and reports when the forward stops reaching a pod, when it reaches a new one, and when it recovers. Dialing is
/// bounded by <see cref="DialTimeout"/>; stopping closes the listener and every open connection, so the local port is
/// free when <see cref="DisposeAsync"/> returns (tilt PR #6790: a hung close kept the port).
/// </summary>
public sealed class PortForward : IAsyncDisposable
{
    private readonly KubeClient _client;
    private readonly string _namespace;
    private readonly string _resourceType;
    private readonly string _name;
    private readonly int _port;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<TcpClient, Task> _connections = new();
    private readonly Action<string>? _report;
    private Task _accepting = Task.CompletedTask;
    private Task _health = Task.CompletedTask;
    private string? _lastPod;
    private string? _lastProblem;

    private PortForward(KubeClient client, string ns, string resourceType, string name, int port, TcpListener listener, Action<string>? report)
    {
        _client = client;
        _namespace = ns;
        _resourceType = resourceType;
        _name = name;
        _port = port;
        _listener = listener;
        _report = report;
    }

    public IPEndPoint Local => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>How long resolving the pod and opening its tunnel may take before a connection (or a probe) fails.</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the health check opens a tunnel; zero turns it off.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a probe's tunnel waits for the pod side to refuse before it counts as reaching the pod.</summary>
    public TimeSpan ProbeWindow { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="localPort"/> (0: any free port).</summary>
    /// <param name="resourceType">service or pod, as in skaffold.yaml's portForward.</param>
    /// <param name="report">Where health changes go (a lost pod, a new pod, recovery); null: nowhere.</param>
    public static PortForward Start(KubeClient client, string ns, string resourceType, string name, int port, int localPort = 0, string address = "127.0.0.1",
        Action<string>? report = null, TimeSpan? dialTimeout = null, TimeSpan? healthInterval = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (resourceType is not ("service" or "pod"))
        {
            throw new EtlException(EtlErrors.PortForwardTypeUnsupported, $"Port-forward to a {resourceType} is not supported.",
                "Use resourceType service or pod.", $"{resourceType}/{name}");
        }

        var listener = new TcpListener(ListenAddress(address, $"{resourceType}/{name}"), localPort);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new EtlException(EtlErrors.PortForwardLocalPortBusy, $"Local port {address}:{localPort} for {resourceType}/{name}:{port} is in use.",
                "Stop what listens there, or choose another localPort.", $"{resourceType}/{name}", ex);
        }

        var forward = new PortForward(client, ns, resourceType, name, port, listener, report)
        {
            DialTimeout = dialTimeout ?? TimeSpan.FromSeconds(10),
            HealthInterval = healthInterval ?? TimeSpan.FromSeconds(3),
        };
        forward._accepting = forward.AcceptAsync();
        forward._health = forward.HealthAsync();
        return forward;
    }

    // skaffold.yaml's address is an IP address or a host name; its docs and examples use localhost. Only that name is
    // taken: any other would need a DNS lookup, and a forward must listen on this machine.
    private static IPAddress ListenAddress(string address, string target)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (IPAddress.TryParse(address, out var ip))
        {
            return ip;
        }

        if (string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        throw new EtlException(EtlErrors.PortForwardAddressInvalid, $"portForward address '{address}' for {target} is neither an IP address nor localhost.",
            "Set portForward's address to 127.0.0.1 (the default), another IP address of this machine, or localhost.", target);
    }

    public override string ToString() => $"{_resourceType}/{_name}:{_port} -> {Local}";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try
            {
                connection = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _connections[connection] = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(TcpClient connection)
    {
        await Task.Yield();
        try
        {
            // A pod replaced between the lookup and the dial fails the first tunnel; the second looks it up again.
            for (int attempt = 1; ; attempt++)
            {
                Tunnel tunnel;
                try
                {
                    tunnel = await OpenAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (attempt < 2 && IsTunnelFailure(ex) && !_stop.IsCancellationRequested)
                {
                    continue;
                }

                await using (tunnel.ConfigureAwait(false))
                {
                    Observe(tunnel.Pod, null);
                    var local = connection.GetStream();
                    var upload = local.CopyToAsync(tunnel.ToPod, _stop.Token);
                    var download = tunnel.FromPod.CopyToAsync(local, _stop.Token);
                    await Task.WhenAny(upload, download).ConfigureAwait(false);
                }

                return;
            }
        }
        catch (Exception ex) when (IsTunnelFailure(ex))
        {
            // This connection fails; the forward keeps listening for the next one.
        }
        finally
        {
            connection.Dispose();
            _connections.TryRemove(connection, out _);
        }
    }

    private static bool IsTunnelFailure(Exception ex) =>
        ex is IOException or SocketException or OperationCanceledException or System.Net.WebSockets.WebSocketException or EtlException or HttpRequestException
            or k8s.Autorest.HttpOperationException or ObjectDisposedException;

    private sealed class Tunnel(string pod, System.Net.WebSockets.WebSocket socket, StreamDemuxer demuxer, Stream fromPod, Stream toPod, Stream errors) : IAsyncDisposable
    {
        public string Pod { get; } = pod;

        public Stream FromPod { get; } = fromPod;

        public Stream ToPod { get; } = toPod;

        public Stream Errors { get; } = errors;

        public async ValueTask DisposeAsync()
        {
            await FromPod.DisposeAsync().ConfigureAwait(false);
            await ToPod.DisposeAsync().ConfigureAwait(false);
            await Errors.DisposeAsync().ConfigureAwait(false);
            demuxer.Dispose();
            socket.Dispose();
        }
    }

    // Resolving and the WebSocket handshake together within DialTimeout: an API server that does not answer fails
    // the connection instead of holding it open.
    private async Task<Tunnel> OpenAsync(CancellationToken cancellationToken)
    {
        using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        dial.CancelAfter(DialTimeout);
        var (pod, podPort) = await ResolveAsync(dial.Token).ConfigureAwait(false);
        var socket = await _client.Api.WebSocketNamespacedPodPortForwardAsync(pod, _namespace, [podPort], "v4.channel.k8s.io", cancellationToken: dial.Token).ConfigureAwait(false);
        var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
        demuxer.Start();

        // Separate read and write half-streams: one duplex stream serves a single exchange only.
        return new Tunnel(pod, socket, demuxer, demuxer.GetStream((byte?)0, null), demuxer.GetStream(null, (byte?)0), demuxer.GetStream((byte?)1, null));
    }

    private async Task HealthAsync()
    {
        if (HealthInterval <= TimeSpan.Zero)
        {
            return;
        }

        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(HealthInterval, _stop.Token).ConfigureAwait(false);
                await ProbeAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Opens a tunnel as a connection would and reports a change: the pod behind the service was replaced, the
    /// forward no longer reaches a pod (why), or it does again. Returns the problem, or null when healthy.
    /// </summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        string? problem = null;
        string? pod = null;
        try
        {
            var tunnel = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (tunnel.ConfigureAwait(false))
            {
                pod = tunnel.Pod;
                // A refusal comes as a message on the error channel right away; silence, or the pod closing the
                // connection it accepted, means the port was reached. (The demuxer's reads do not all honour
                // cancellation, so the window is a race, and disposing the tunnel ends the read.)
                var buffer = new byte[512];
                var read = tunnel.Errors.ReadAsync(buffer, cancellationToken).AsTask();
                if (await Task.WhenAny(read, Task.Delay(ProbeWindow, cancellationToken)).ConfigureAwait(false) == read && await read.ConfigureAwait(false) is > 0 and var n)
                {
                    problem = System.Text.Encoding.UTF8.GetString(buffer, 0, n);
                }

                _ = read.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
        catch (Exception ex) when (IsTunnelFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            problem = ex is OperationCanceledException ? $"no answer within {DialTimeout.TotalSeconds:0} s" : UrlRedaction.Redact(ex.Message);
        }

        Observe(pod, problem);
        return problem;
    }

    // Connections and probes both see which pod the forward reaches: a replacement is reported by whichever sees it first.
    private void Observe(string? pod, string? problem)
    {
        lock (_stop)
        {
            if (problem is not null)
            {
                if (problem != _lastProblem)
                {
                    _report?.Invoke($"{this}: not reaching a pod: {problem}");
                }
            }
            else if (_lastProblem is not null)
            {
                _report?.Invoke($"{this}: reaching pod {pod} again");
            }
            else if (_lastPod is not null && pod != _lastPod)
            {
                _report?.Invoke($"{this}: pod {_lastPod} was replaced; forwarding to {pod}");
            }

            _lastProblem = problem;
            _lastPod = pod ?? _lastPod;
        }
    }

    // A service forwards to one of its ready pods, on the target port its port maps to.
    private async Task<(string Pod, int Port)> ResolveAsync(CancellationToken cancellationToken)
    {
        if (_resourceType == "pod")
        {
            return (_name, _port);
        }

        var service = await _client.RequireAsync(HttpMethod.Get, $"/api/v1/namespaces/{KubeClient.Escape(_namespace)}/services/{KubeClient.Escape(_name)}", null, "application/json",
            $"Reading service {_name}", cancellationToken).ConfigureAwait(false);
        var selector = service?["spec"]?["selector"] as JsonObject ?? throw new EtlException(EtlErrors.PortForwardNoSelector, $"Service {_name} has no selector, so no pod to forward to.", "Forward to a pod instead.", _name);
        var mapping = (service?["spec"]?["ports"] as JsonArray ?? []).FirstOrDefault(p => p?["port"]?.GetValue<int>() == _port);
        string labels = string.Join(',', selector.Select(l => $"{l.Key}={l.Value}"));
        var pods = await _client.RequireAsync(HttpMethod.Get, $"/api/v1/namespaces/{KubeClient.Escape(_namespace)}/pods?labelSelector={Uri.EscapeDataString(labels)}", null, "application/json",
            $"Finding pods of service {_name}", cancellationToken).ConfigureAwait(false);
        var pod = (pods?["items"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(p => p["status"]?["phase"]?.GetValue<string>() == "Running" && p["metadata"]?["deletionTimestamp"] is null)
            ?? throw new EtlException(EtlErrors.PortForwardNoPod, $"Service {_name} has no running pod.", "Check the workload behind it.", _name);

        // targetPort may be a number or a container port's name.
        int target = _port;
        if (mapping?["targetPort"] is JsonValue targetPort)
        {
            if (targetPort.TryGetValue(out int number))
            {
                target = number;
            }
            else if (targetPort.TryGetValue(out string? portName))
            {
                target = (pod["spec"]?["containers"] as JsonArray ?? []).SelectMany(c => c?["ports"] as JsonArray ?? [])
                    .FirstOrDefault(p => p?["name"]?.GetValue<string>() == portName)?["containerPort"]?.GetValue<int>()
                    ?? (int.TryParse(portName, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : _port);
            }
        }

        return (pod["metadata"]!["name"]!.GetValue<string>(), target);
    }

    /// <summary>Stops listening and closes every open connection; the local port is free when this returns.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose(); // a copy blocked in a read ends now, not when the peer sends
        }

        // Bounded: a tunnel that ignores cancellation must not keep Stop from returning.
        var all = Task.WhenAll([_accepting, _health, .. _connections.Values]);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        _stop.Dispose();
    }
}
