using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events.Generic;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A running generic event: the gRPC client of upstream's generic.proto (sources/generic/start.go). It dials
/// <c>url</c> over h2c (upstream sets transport credentials only for insecure: true, and without them grpc-go refuses
/// to dial, so insecure: false is an error at start), calls StartEventSource with the event name and config bytes —
/// with <c>authorization: Bearer &lt;token&gt;</c> when authSecret is set — and turns each streamed payload into
/// <c>{"body": ..., "metadata"?: {...}}</c>: the payload as JSON when jsonBody, else a base64 string (Go's []byte).
/// The Event's own name is ignored, as upstream. A failed dial or a broken stream is retried every
/// <see cref="LocalEventSourceOptions.GenericRetryInterval"/> until stopped.
/// </summary>
public sealed class LocalGenericEventSource : ILocalEventSource
{
    private readonly GenericEventDefinition _definition;
    private readonly LocalEventSink _sink;
    private readonly LocalEventSourceOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private int _connections;

    public LocalGenericEventSource(GenericEventDefinition definition, LocalEventSink sink, LocalEventSourceOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _options = options ?? new LocalEventSourceOptions();
    }

    public EventSourceDefinition Definition => _definition;

    /// <summary>How many times a stream was opened (1 on a first successful dial), for status and tests.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The address dialled: the spec's url, with http:// (insecure) or https:// when it names no scheme.</summary>
    public Uri Address => AddressOf(_definition);

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!_definition.Insecure)
        {
            // grpc-go refuses a client without transport credentials ("no transport security set"), and upstream sets
            // them only for insecure: true — such an event never connects in a cluster either, so say it now.
            throw new EtlException(EtlErrors.GenericInsecureRequired, $"{_definition.Where}: {_definition} has insecure: false; Argo Events' generic source then dials without transport credentials, which gRPC refuses (no transport security set), so it never receives an event.",
                "Set insecure: true (upstream's generic source has no TLS settings).", _definition.Where);
        }

        // Resolve the token now so a missing Secret is an error at start, not a retry loop.
        _ = Token();
        _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    internal static Uri AddressOf(GenericEventDefinition definition)
    {
        string url = definition.Url;
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            url = (definition.Insecure ? "http://" : "https://") + url;
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            ? uri
            : throw new EtlException(EtlErrors.EventSourceInvalid, $"{definition.Where}: url '{definition.Url}' of {definition} is not a gRPC address.",
                "Write it as host:port (e.g. ftp-events.default.svc:50051) or as an http(s) URL.", definition.Where);
    }

    private string? Token() => _definition.AuthSecret is { } secret ? _options.ResolveSecret(secret, _definition) : null;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        Uri address = Address;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Default options: a 4 MiB message limit, as grpc-go's client has.
                using var channel = GrpcChannel.ForAddress(address);
                var client = new Eventing.EventingClient(channel);
                var headers = new Metadata();
                if (Token() is { } token)
                {
                    headers.Add("authorization", "Bearer " + token);
                }

                using var call = client.StartEventSource(
                    new EventSource { Name = _definition.EventName, Config = ByteString.CopyFromUtf8(_definition.Config) },
                    headers, cancellationToken: cancellationToken);
                await call.ResponseHeadersAsync.ConfigureAwait(false);
                Interlocked.Increment(ref _connections);
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    await DispatchAsync(call.ResponseStream.Current, cancellationToken).ConfigureAwait(false);
                }

                _options.Verbose?.Invoke($"{_definition}: the event stream from {address} ended; reconnecting in {_options.GenericRetryInterval.TotalSeconds:0.#} s.");
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                _options.Verbose?.Invoke($"{_definition}: cannot stream events from {address} ({ex.StatusCode}: {ex.Status.Detail}); retrying in {_options.GenericRetryInterval.TotalSeconds:0.#} s.");
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _options.Verbose?.Invoke($"{_definition}: cannot stream events from {address} ({ex.Message}); retrying in {_options.GenericRetryInterval.TotalSeconds:0.#} s.");
            }

            try
            {
                await Task.Delay(_options.GenericRetryInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DispatchAsync(Event received, CancellationToken cancellationToken)
    {
        JsonNode? body;
        if (received.Payload.IsEmpty)
        {
            // Go sees an empty proto bytes field as a nil slice, which marshals as null in both modes.
            body = null;
        }
        else if (_definition.JsonBody)
        {
            try
            {
                body = JsonNode.Parse(received.Payload.Span);
            }
            catch (JsonException ex)
            {
                // Go's json.Marshal rejects an invalid json.RawMessage: the event is dropped and logged.
                _options.Verbose?.Invoke($"{_definition}: a payload is not JSON although jsonBody is set, so it was dropped ({ex.Message}).");
                return;
            }
        }
        else
        {
            body = Convert.ToBase64String(received.Payload.Span);
        }

        _ = await LocalEventDispatch.SendAsync(_definition, new JsonObject { ["body"] = body }, _sink, _options, cancellationToken).ConfigureAwait(false);
    }
}
