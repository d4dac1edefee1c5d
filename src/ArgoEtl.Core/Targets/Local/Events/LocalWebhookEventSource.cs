using System.Net;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A running webhook event: a route on the shared HTTP server of its port. As upstream (sources/webhook/start.go):
/// a request with another method gets 400 "http method does not match"; GET turns the query into the body, a POST form
/// its fields, any other POST body must be JSON (else 400); only GET and POST have bodies upstream, so other methods
/// get 400 too. Accepted requests become <c>{"header": {...}, "body": ..., "metadata"?: {...}}</c> and 200 "success";
/// a failed dispatch is 500 "failed to record event".
/// </summary>
public sealed class LocalWebhookEventSource : ILocalEventSource
{
    private readonly WebhookEventDefinition _definition;
    private readonly LocalEventSink _handler;
    private readonly LocalEventSourceOptions _options;
    private readonly WebhookEndpoint _endpoint;

    public LocalWebhookEventSource(WebhookEventDefinition definition, LocalEventSink handler, LocalEventSourceOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new LocalEventSourceOptions();
        _endpoint = new WebhookEndpoint(_definition, _definition.Webhook, _options);
    }

    public EventSourceDefinition Definition => _definition;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _endpoint.Start(HandleAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync() => _endpoint.StopAsync();

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var spec = _definition.Webhook;
        if (!await WebhookRequests.AuthorizeAsync(context, spec, _options, _definition).ConfigureAwait(false))
        {
            return;
        }

        HttpListenerRequest request = context.Request;
        if (!string.Equals(request.HttpMethod, spec.Method, StringComparison.Ordinal))
        {
            await WebhookRouter.RespondAsync(context.Response, 400, "http method does not match").ConfigureAwait(false);
            return;
        }

        JsonNode? body;
        switch (request.HttpMethod)
        {
            case "GET":
                body = WebhookRequests.Values(request.Url?.Query ?? string.Empty);
                break;
            case "POST":
                byte[]? bytes = await WebhookRequests.ReadBodyAsync(context, spec.MaxPayloadSize, cancellationToken).ConfigureAwait(false);
                if (bytes is null)
                {
                    return;
                }

                // Go compares the first Content-Type value exactly: "application/x-www-form-urlencoded; charset=..." is JSON to it.
                if (string.Equals(request.Headers.GetValues("Content-Type")?[0], "application/x-www-form-urlencoded", StringComparison.Ordinal))
                {
                    body = WebhookRequests.Values(WebhookRequests.Utf8(bytes));
                }
                else if (!WebhookRequests.TryParseJson(bytes, out body, out string error))
                {
                    await WebhookRouter.RespondAsync(context.Response, 400, error).ConfigureAwait(false);
                    return;
                }

                break;
            default:
                await WebhookRouter.RespondAsync(context.Response, 400, $"unsupoorted method: {request.HttpMethod}").ConfigureAwait(false);
                return;
        }

        await _endpoint.DispatchAsync(context, body, _handler, cancellationToken).ConfigureAwait(false);
    }
}
