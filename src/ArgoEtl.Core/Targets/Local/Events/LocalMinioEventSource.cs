using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// A running minio event fed by the local object store: each <see cref="ObjectStoreNotification"/> for its bucket, key
/// filter and event names becomes <c>{"notification": [&lt;MinIO record&gt;], "metadata"?: {...}}</c>, the layout
/// upstream's minio source dispatches (events.MinioEventData over minio-go's notification.Event). MinIO's listen API
/// sends one record per notification, so the list holds one.
/// </summary>
public sealed class LocalMinioEventSource : ILocalEventSource
{
    private readonly MinioEventDefinition _definition;
    private readonly LocalEventSink _sink;
    private readonly LocalEventSourceOptions _options;
    private volatile bool _running;

    public LocalMinioEventSource(MinioEventDefinition definition, LocalEventSink sink, LocalEventSourceOptions? options = null)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _options = options ?? new LocalEventSourceOptions();
    }

    public EventSourceDefinition Definition => _definition;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _running = true;
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _running = false;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _running = false;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Takes one store notification (wire this to the store's event). Returns whether it dispatched an event; a
    /// notification for another bucket, key or event name, or one arriving while stopped, fires nothing, and a failed
    /// dispatch is reported at verbose level.
    /// </summary>
    public async ValueTask<bool> OnObjectStoreNotificationAsync(ObjectStoreNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!_running || !_definition.Matches(notification))
        {
            return false;
        }

        try
        {
            await _sink(Shape(_definition, notification, _options), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As upstream: a failed dispatch is logged and the source goes on with the next notification.
            _options.Verbose?.Invoke($"{_definition}: the event for {notification.Bucket}/{notification.Key} was not dispatched: {ex.Message}");
            return false;
        }
    }

    /// <summary>The event this definition emits for a notification (also what Invoke-EtlPipeline injects).</summary>
    public static LocalEvent Shape(MinioEventDefinition definition, ObjectStoreNotification notification, LocalEventSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new LocalEventSourceOptions();
        string region = string.IsNullOrEmpty(definition.Region) ? options.StoreRegion : definition.Region;
        var data = new JsonObject
        {
            ["notification"] = new JsonArray(S3EventRecords.Minio(notification, region, options.StorePrincipal, options.StoreEndpoint)),
        };
        if (definition.MetadataJson() is { } metadata)
        {
            data["metadata"] = metadata;
        }

        return new LocalEvent(definition.NewContext(notification.Time), data);
    }
}
