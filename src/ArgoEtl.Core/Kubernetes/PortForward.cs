using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>
/// A local port that reaches a port of a pod, or of a pod behind a service, through the API server (kubectl
/// port-forward without kubectl). Every accepted connection opens its own tunnel and looks the pod up again, so a
/// restarted pod or a dropped tunnel costs one failed connection, not the forward: the failure mode the typical
/// setup's port-forwards had.
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
    private readonly Task _accepting;

    private PortForward(KubeClient client, string ns, string resourceType, string name, int port, TcpListener listener)
    {
        _client = client;
        _namespace = ns;
        _resourceType = resourceType;
        _name = name;
        _port = port;
        _listener = listener;
        _accepting = AcceptAsync();
    }

    public IPEndPoint Local => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="localPort"/> (0: any free port).</summary>
    /// <param name="resourceType">service or pod, as in skaffold.yaml's portForward.</param>
    public static PortForward Start(KubeClient client, string ns, string resourceType, string name, int port, int localPort = 0, string address = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(client);
        if (resourceType is not ("service" or "pod"))
        {
            throw new EtlException(EtlErrors.PortForwardTypeUnsupported, $"Port-forward to a {resourceType} is not supported.",
                "Use resourceType service or pod.", $"{resourceType}/{name}");
        }

        var listener = new TcpListener(IPAddress.Parse(address), localPort);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new EtlException(EtlErrors.PortForwardLocalPortBusy, $"Local port {address}:{localPort} for {resourceType}/{name}:{port} is in use.",
                "Stop what listens there, or choose another localPort.", $"{resourceType}/{name}", ex);
        }

        return new PortForward(client, ns, resourceType, name, port, listener);
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

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                var (pod, podPort) = await ResolveAsync(_stop.Token).ConfigureAwait(false);
                using var socket = await _client.Api.WebSocketNamespacedPodPortForwardAsync(pod, _namespace, [podPort], "v4.channel.k8s.io", cancellationToken: _stop.Token).ConfigureAwait(false);
                using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
                demuxer.Start();

                // Separate read and write half-streams: one duplex stream serves a single exchange only.
                await using var fromPod = demuxer.GetStream((byte?)0, null);
                await using var toPod = demuxer.GetStream(null, (byte?)0);
                var local = connection.GetStream();
                var upload = local.CopyToAsync(toPod, _stop.Token);
                var download = fromPod.CopyToAsync(local, _stop.Token);
                await Task.WhenAny(upload, download).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Net.WebSockets.WebSocketException or EtlException or HttpRequestException
                or k8s.Autorest.HttpOperationException)
            {
                // This connection fails; the forward keeps listening for the next one.
            }
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
        var pod = (pods?["items"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(p => p["status"]?["phase"]?.GetValue<string>() == "Running")
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }
}
