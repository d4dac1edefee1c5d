using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>
/// A Kubernetes API server for tests (Kestrel on loopback, no auth): /version, legacy discovery (/api, /apis, group
/// versions, including groups CRDs add), and create/get/list/replace/apply/delete on every served resource, with the
/// status codes and Status bodies the real one sends. Real kubectl works against it with --validate=false (there is
/// no /openapi/v2). It writes a kubeconfig for clients.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    private LoopbackHost _host = null!;

    private KubeApiServer(KubeStore store) => Store = store;

    public KubeStore Store { get; }

    public Uri Endpoint => _host.Endpoint;

    public static async Task<KubeApiServer> StartAsync(int port = 0, string? sharedArgoDirectory = null)
    {
        var validator = new ArgoSchemaValidator(sharedArgoDirectory ?? ArgoSchemaValidator.DefaultDirectory());
        var server = new KubeApiServer(new KubeStore { Validator = validator.Validate });
        server._host = await LoopbackHost.StartAsync(server.HandleAsync, port).ConfigureAwait(false);
        return server;
    }

    /// <summary>Writes a kubeconfig whose current context ('argoetl-test') points at this server.</summary>
    public string WriteKubeconfig(string path, string contextName = "argoetl-test", string defaultNamespace = "default")
    {
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {Endpoint.ToString().TrimEnd('/')}
            users:
            - name: test
              user:
                token: test-token
            contexts:
            - name: {contextName}
              context:
                cluster: test
                user: test
                namespace: {defaultNamespace}
            current-context: {contextName}
            """);
        return path;
    }

    public Task WaitForShutdownAsync() => _host.WaitForShutdownAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.Response.HasStarted)
        {
            Console.Error.WriteLine(ex); // a streamed answer (watch, logs) cannot become a Status any more
            throw;
        }
        catch (Exception ex)
        {
            // A bug in the stand-in must show as one, not as a plausible API answer.
            Console.Error.WriteLine(ex);
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync(KubeStore.Status(500, "InternalError", "test API server bug: " + ex.Message).Body.ToJsonString()).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var request = context.Request;
        var parts = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var result = parts switch
        {
            ["version"] => new KubeResult(200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-argoetl-test", ["platform"] = "linux/amd64" }),
            ["api"] => new KubeResult(200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray() }),
            ["api", "v1"] => ResourceList(string.Empty, "v1"),
            ["apis"] => GroupList(),
            ["apis", var g] => Group(g) is { } group ? new KubeResult(200, group) : KubeStore.Status(404, "NotFound", "the server could not find the requested resource"),
            ["apis", var g, var v] => ResourceList(g, v),
            ["api", "v1", "namespaces", var ns, "pods", var pod, "portforward"] => await PortForwardAsync(context, ns, pod).ConfigureAwait(false),
            ["api", "v1", "namespaces", var ns, "pods", var pod, "log"] => await PodLogAsync(context, ns, pod).ConfigureAwait(false),
            ["api", "v1", .. var rest] => await ResourceAsync(context, string.Empty, "v1", rest).ConfigureAwait(false),
            ["apis", var g, var v, .. var rest] => await ResourceAsync(context, g, v, rest).ConfigureAwait(false),
            _ => KubeStore.Status(404, "NotFound", "the server could not find the requested resource"),
        };

        if (context.Response.HasStarted || context.WebSockets.IsWebSocketRequest && result.Status == 101)
        {
            return;
        }

        context.Response.StatusCode = result.Status;
        context.Response.ContentType = "application/json";
        if (result.Status == 429)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        await context.Response.WriteAsync(result.Body.ToJsonString()).ConfigureAwait(false);
    }

    // The port-forward protocol (v4.channel.k8s.io): for port i, channel 2i carries data and 2i+1 errors; each
    // channel's first message is the port number (2 bytes, little-endian). Bytes go to the TCP endpoint the test
    // registered for the pod's port (KubeStore.ForwardPort).
    private async Task<KubeResult> PortForwardAsync(HttpContext context, string ns, string pod)
    {
        var pods = Store.Find(string.Empty, "v1", "pods")!;
        if (Store.Get(pods, ns, pod).Status != 200)
        {
            return KubeStore.Status(404, "NotFound", $"pods \"{pod}\" not found");
        }

        if (!context.WebSockets.IsWebSocketRequest || !int.TryParse(context.Request.Query["ports"].FirstOrDefault(), CultureInfo.InvariantCulture, out int port))
        {
            return KubeStore.Status(400, "BadRequest", "port-forward needs a WebSocket upgrade and ?ports=N");
        }

        string? target = Store.PortTarget(ns, pod, port);
        using var socket = await context.WebSockets.AcceptWebSocketAsync("v4.channel.k8s.io").ConfigureAwait(false);
        byte[] Frame(byte channel, ReadOnlySpan<byte> payload)
        {
            var frame = new byte[payload.Length + 1];
            frame[0] = channel;
            payload.CopyTo(frame.AsSpan(1));
            return frame;
        }

        byte[] portBytes = [(byte)(port & 0xFF), (byte)(port >> 8)];
        await socket.SendAsync(Frame(0, portBytes), System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
        await socket.SendAsync(Frame(1, portBytes), System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
        using var tcp = new System.Net.Sockets.TcpClient();
        bool connected = false;
        if (target is not null)
        {
            string[] hostPort = target.Split(':');
            try
            {
                await tcp.ConnectAsync(hostPort[0], int.Parse(hostPort[1], CultureInfo.InvariantCulture)).ConfigureAwait(false);
                connected = true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // What kubelet reports when nothing listens on the pod's port.
            }
        }

        if (!connected)
        {
            await socket.SendAsync(Frame(1, Encoding.UTF8.GetBytes($"error forwarding port {port} to pod {pod}: connection refused")), System.Net.WebSockets.WebSocketMessageType.Binary, true, CancellationToken.None).ConfigureAwait(false);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            return new KubeResult(101, new JsonObject());
        }

        var stream = tcp.GetStream();
        using var done = new CancellationTokenSource();
        var toPod = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, done.Token).ConfigureAwait(false);
                    if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                    {
                        break;
                    }

                    // Only the first fragment of a message carries the channel byte.
                    int skip = 1;
                    bool forData = buffer[0] == 0;
                    while (true)
                    {
                        if (forData && received.Count > skip)
                        {
                            await stream.WriteAsync(buffer.AsMemory(skip, received.Count - skip), done.Token).ConfigureAwait(false);
                        }

                        if (received.EndOfMessage)
                        {
                            break;
                        }

                        skip = 0;
                        received = await socket.ReceiveAsync(buffer, done.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException)
            {
                // The client went away.
            }
        });
        var fromPod = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await stream.ReadAsync(buffer.AsMemory(1, buffer.Length - 1), done.Token).ConfigureAwait(false)) > 0)
                {
                    buffer[0] = 0;
                    await socket.SendAsync(buffer.AsMemory(0, n + 1), System.Net.WebSockets.WebSocketMessageType.Binary, true, done.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException or OperationCanceledException)
            {
                // The pod side closed.
            }
        });
        // When the pod side closes first, close our half and let the client finish reading: canceling the pending
        // receive would abort the socket and could drop the pod's last bytes still in the output buffer.
        if (await Task.WhenAny(toPod, fromPod).ConfigureAwait(false) == fromPod)
        {
            try
            {
                await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAny(toPod, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or InvalidOperationException or IOException)
            {
                // The client went away meanwhile.
            }
        }

        await done.CancelAsync().ConfigureAwait(false);
        try
        {
            if (socket.State is System.Net.WebSockets.WebSocketState.Open or System.Net.WebSockets.WebSocketState.CloseReceived)
            {
                await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or InvalidOperationException or IOException or OperationCanceledException)
        {
            // Already closed by the client.
        }

        return new KubeResult(101, new JsonObject());
    }

    // A watch streams one JSON event per line ({"type", "object"}) until the client goes or timeoutSeconds pass.
    private async Task<KubeResult> WatchAsync(HttpContext context, KubeResourceType type, string? ns)
    {
        var query = context.Request.Query;
        bool initial = query["sendInitialEvents"].FirstOrDefault() == "true";
        using var watch = Store.OpenWatch(type, query["resourceVersion"].FirstOrDefault(), initial);
        if (watch is null)
        {
            return KubeStore.Status(410, "Expired", $"too old resource version: {query["resourceVersion"]}");
        }

        string? labels = query["labelSelector"].FirstOrDefault();
        string? fields = query["fieldSelector"].FirstOrDefault();
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (int.TryParse(query["timeoutSeconds"].FirstOrDefault(), CultureInfo.InvariantCulture, out int timeout) && timeout > 0)
        {
            ends.CancelAfter(TimeSpan.FromSeconds(timeout));
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(ends.Token).ConfigureAwait(false);
        async Task SendAsync(string eventType, JsonObject obj)
        {
            await context.Response.WriteAsync(new JsonObject { ["type"] = eventType, ["object"] = obj.DeepClone() }.ToJsonString() + "\n", ends.Token).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(ends.Token).ConfigureAwait(false);
        }

        try
        {
            foreach (var ev in watch.Backlog.Where(e => KubeStore.Matches(type, e.Object, ns, labels, fields)))
            {
                await SendAsync(ev.Type, ev.Object).ConfigureAwait(false);
            }

            if (initial)
            {
                await SendAsync("BOOKMARK", new JsonObject
                {
                    ["kind"] = type.Kind,
                    ["apiVersion"] = type.GroupVersion,
                    ["metadata"] = new JsonObject
                    {
                        ["resourceVersion"] = watch.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                        ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
                    },
                }).ConfigureAwait(false);
            }

            await foreach (var ev in watch.Live.ReadAllAsync(ends.Token).ConfigureAwait(false))
            {
                if (KubeStore.Matches(type, ev.Object, ns, labels, fields))
                {
                    await SendAsync(ev.Type, ev.Object).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away, or the timeout ended the watch (the client starts a new one).
        }

        return new KubeResult(200, new JsonObject());
    }

    // pods/log: the container's lines as text; with follow=true, new lines as they are written, until the container
    // ends, the pod is deleted or the client goes.
    private async Task<KubeResult> PodLogAsync(HttpContext context, string ns, string podName)
    {
        var pods = Store.Find(string.Empty, "v1", "pods")!;
        var pod = Store.Get(pods, ns, podName);
        if (pod.Status != 200)
        {
            return pod;
        }

        var containers = (pod.Body["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>()).OfType<string>().ToList();
        string? container = context.Request.Query["container"].FirstOrDefault();
        if (string.IsNullOrEmpty(container))
        {
            if (containers.Count != 1)
            {
                return KubeStore.Status(400, "BadRequest", $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', containers)}]");
            }

            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            return KubeStore.Status(400, "BadRequest", $"container {container} is not valid for pod {podName}");
        }

        bool follow = context.Request.Query["follow"].FirstOrDefault() is "true" or "1";
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        int sent = 0;
        try
        {
            while (true)
            {
                var view = Store.ReadLog(ns, podName, container);
                foreach (string line in view.Lines.Skip(sent))
                {
                    await context.Response.WriteAsync(line + "\n", context.RequestAborted).ConfigureAwait(false);
                }

                sent = view.Lines.Count;
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                if (!follow || view.Ended || Store.Get(pods, ns, podName).Status != 200)
                {
                    break;
                }

                await view.Changed.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client stopped following.
        }

        return new KubeResult(200, new JsonObject());
    }

    private KubeResult ResourceList(string group, string version)
    {
        var types = Store.Types.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return KubeStore.Status(404, "NotFound", "the server could not find the requested resource");
        }

        return new KubeResult(200, new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = new JsonArray([.. types.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)JsonValue.Create(s))]),
            })]),
        });
    }

    private KubeResult GroupList() => new(200, new JsonObject
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. Store.Types.Where(t => t.Group.Length > 0).Select(t => t.Group).Distinct().Order(StringComparer.Ordinal).Select(g => (JsonNode)Group(g)!)]),
    });

    private JsonObject? Group(string group)
    {
        var versions = Store.Types.Where(t => t.Group == group).Select(t => t.Version).Distinct().ToList();
        if (versions.Count == 0)
        {
            return null;
        }

        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    private async Task<KubeResult> ResourceAsync(HttpContext context, string group, string version, string[] rest)
    {
        // [plural] | [plural, name] | [namespaces, ns, plural] | [namespaces, ns, plural, name]; 'namespaces/x' alone is the Namespace x.
        string? ns = null;
        string plural;
        string? name = null;
        switch (rest)
        {
            case ["namespaces", var n, var p, var o]:
                (ns, plural, name) = (n, p, o);
                break;
            case ["namespaces", var n, var p] when !(group.Length == 0 && p == "status"):
                (ns, plural) = (n, p);
                break;
            case [var p, var o]:
                (plural, name) = (p, o);
                break;
            case [var p]:
                plural = p;
                break;
            default:
                return KubeStore.Status(404, "NotFound", "the server could not find the requested resource");
        }

        var request = context.Request;
        var type = Store.Find(group, version, plural);
        if (type is null)
        {
            return Log(request, KubeStore.Status(404, "NotFound", "the server could not find the requested resource"), plural, ns, name);
        }

        if (Store.TryFault(request.Method, out int fault))
        {
            return Log(request, KubeStore.Status(fault, fault == 429 ? "TooManyRequests" : "InternalError", fault == 429 ? "too many requests, please retry" : "injected server error"), plural, ns, name);
        }

        // Real servers speak protobuf to client-go for built-in kinds; this one speaks JSON only, and says so.
        if (request.ContentType?.Contains("protobuf", StringComparison.Ordinal) == true)
        {
            return Log(request, KubeStore.Status(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml"), plural, ns, name);
        }

        if (request.Method == "GET" && name is null && request.Query["watch"].FirstOrDefault() is "true" or "1")
        {
            return await WatchAsync(context, type, ns).ConfigureAwait(false);
        }

        string manager = request.Query["fieldManager"].FirstOrDefault() ?? UserAgentManager(request);
        string body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync().ConfigureAwait(false);
        var result = (request.Method, name) switch
        {
            ("GET", null) => Store.List(type, ns, request.Query["labelSelector"].FirstOrDefault(), request.Query["fieldSelector"].FirstOrDefault()),
            ("GET", _) => Store.Get(type, ns, name),
            ("POST", null) => Parse(body) is { } created ? Store.Create(type, ns, created, manager) : BadBody(),
            ("PUT", not null) => Parse(body) is { } replaced ? Store.Replace(type, ns, name, replaced, manager) : BadBody(),
            ("PATCH", not null) when request.ContentType?.StartsWith("application/apply-patch", StringComparison.Ordinal) == true =>
                request.Query["fieldManager"].Count == 0 ? KubeStore.Status(400, "BadRequest", "PATCH with apply-patch requires a fieldManager")
                : Parse(body) is { } applied ? Store.Apply(type, ns, name, applied, manager, request.Query["force"].FirstOrDefault() == "true") : BadBody(),
            ("PATCH", _) => KubeStore.Status(415, "UnsupportedMediaType", $"the test API server supports only application/apply-patch+yaml patches, not {request.ContentType}"),
            ("DELETE", not null) => Store.Delete(type, ns, name),
            _ => KubeStore.Status(405, "MethodNotAllowed", $"{request.Method} is not allowed here"),
        };
        return Log(request, result, plural, ns, name);
    }

    private KubeResult Log(HttpRequest request, KubeResult result, string plural, string? ns, string? name)
    {
        Store.Log.Enqueue($"{request.Method} {plural} {ns}/{name} {result.Status.ToString(CultureInfo.InvariantCulture)}");
        return result;
    }

    private static string UserAgentManager(HttpRequest request) =>
        request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent.Split('/')[0] : "unknown";

    private static KubeResult BadBody() => KubeStore.Status(400, "BadRequest", "the request body is not a JSON or YAML object");

    // apply-patch bodies may be YAML; JSON is YAML too.
    private static JsonObject? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(body));
            return stream.Documents.Count == 0 ? null : ToJson(stream.Documents[0].RootNode) as JsonObject;
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, CultureInfo.InvariantCulture, out long l) => JsonValue.Create(l),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "true" or "false" } s => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "null" or "~" } => null,
        YamlScalarNode s => JsonValue.Create(s.Value ?? string.Empty),
        _ => null,
    };
}
