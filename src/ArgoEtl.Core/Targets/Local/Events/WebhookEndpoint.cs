using System.Net;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// The route a webhook-shaped source (webhook, sns) holds on the shared HTTP server of its port: its Secret checked at
/// start, the route added once and removed at stop, the router disposed when the source made its own.
/// </summary>
internal sealed class WebhookEndpoint
{
    private readonly EventSourceDefinition _owner;
    private readonly WebhookContextSpec _spec;
    private readonly LocalEventSourceOptions _options;
    private readonly WebhookRouter _router;
    private readonly bool _ownsRouter;
    private IAsyncDisposable? _route;

    public WebhookEndpoint(EventSourceDefinition owner, WebhookContextSpec spec, LocalEventSourceOptions options)
    {
        _owner = owner;
        _spec = spec;
        _options = options;
        _ownsRouter = options.Router is null;
        _router = options.Router ?? new WebhookRouter();
    }

    public void Start(WebhookRouter.RouteHandler handler)
    {
        // A Secret nobody provides is an error at start, not a 500 on the first request.
        if (_spec.AuthSecret is { } secret)
        {
            _ = _options.ResolveSecret(secret, _owner);
        }

        _route ??= _router.Add(_spec.Port, _spec.Endpoint, _owner.ToString(), handler);
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _route, null) is { } route)
        {
            await route.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsRouter)
        {
            await _router.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An accepted request as upstream answers it: <c>{"header": ..., "body": ...}</c> sent on, then 200 "success", or
    /// 500 "failed to record event" when the sink failed.
    /// </summary>
    public async Task DispatchAsync(HttpListenerContext context, JsonNode? body, LocalEventSink sink, CancellationToken cancellationToken)
    {
        var data = new JsonObject { ["header"] = WebhookRequests.Headers(context.Request), ["body"] = body };
        bool sent = await LocalEventDispatch.SendAsync(_owner, data, sink, _options, cancellationToken).ConfigureAwait(false);
        await WebhookRouter.RespondAsync(context.Response, sent ? 200 : 500, sent ? "success" : "failed to record event").ConfigureAwait(false);
    }
}
