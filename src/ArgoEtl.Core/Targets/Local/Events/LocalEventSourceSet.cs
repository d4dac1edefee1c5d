using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// All running events of a project's EventSources, sharing one webhook router, started and stopped together. The local
/// store's notifications go to <see cref="OnObjectStoreNotificationAsync"/>.
/// </summary>
public sealed class LocalEventSourceSet : IAsyncDisposable
{
    private readonly LocalEventSourceOptions _options;
    private readonly WebhookRouter _router;
    private readonly bool _ownsRouter;
    private readonly List<ILocalEventSource> _started = [];

    public LocalEventSourceSet(IEnumerable<EventSourceDefinition> definitions, LocalEventSink sink, LocalEventSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        options ??= new LocalEventSourceOptions();
        _ownsRouter = options.Router is null;
        _router = options.Router ?? new WebhookRouter();
        _options = options with { Router = _router };
        Sources = [.. definitions.Select(d => Create(d, sink, _options))];
    }

    public IReadOnlyList<ILocalEventSource> Sources { get; }

    /// <summary>The buckets minio events listen to: the store creates them at start.</summary>
    public IReadOnlySet<string> Buckets => Sources.Select(s => s.Definition).OfType<MinioEventDefinition>().Select(d => d.Bucket).ToHashSet(StringComparer.Ordinal);

    /// <summary>A running source for one definition.</summary>
    public static ILocalEventSource Create(EventSourceDefinition definition, LocalEventSink sink, LocalEventSourceOptions? options = null) => definition switch
    {
        MinioEventDefinition minio => new LocalMinioEventSource(minio, sink, options),
        WebhookEventDefinition webhook => new LocalWebhookEventSource(webhook, sink, options),
        SnsEventDefinition sns => new LocalSnsEventSource(sns, sink, options),
        GenericEventDefinition generic => new LocalGenericEventSource(generic, sink, options),
        FileEventDefinition file => new LocalFileEventSource(file, sink, options),
        _ => throw new ArgumentException($"No local source runs {definition}.", nameof(definition)),
    };

    /// <summary>Starts every source; if one cannot start, the ones started are stopped and the error is rethrown.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var source in Sources)
            {
                await source.StartAsync(cancellationToken).ConfigureAwait(false);
                _started.Add(source);
            }
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Feeds one store notification to every minio event; returns how many fired (none is reported at verbose level).</summary>
    public async ValueTask<int> OnObjectStoreNotificationAsync(ObjectStoreNotification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        int fired = 0;
        foreach (var source in Sources.OfType<LocalMinioEventSource>())
        {
            if (await source.OnObjectStoreNotificationAsync(notification, cancellationToken).ConfigureAwait(false))
            {
                fired++;
            }
        }

        if (fired == 0)
        {
            _options.Verbose?.Invoke($"{notification.EventName} on {notification.Bucket}/{notification.Key} matched no minio event.");
        }

        return fired;
    }

    public async Task StopAsync()
    {
        foreach (var source in Enumerable.Reverse(_started))
        {
            await source.StopAsync().ConfigureAwait(false);
        }

        _started.Clear();
        if (_ownsRouter)
        {
            await _router.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var source in Sources)
        {
            await source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
