namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>One running event of an EventSource on the local target. Start once; dispose (or stop) to end it.</summary>
public interface ILocalEventSource : IAsyncDisposable
{
    EventSourceDefinition Definition { get; }

    /// <summary>Starts listening; returns once the source is ready to take events (a server is listening, a watch is set).</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops listening and waits for in-flight events to finish. Idempotent.</summary>
    Task StopAsync();
}
