namespace ArgoEtl.Core.Dev;

/// <summary>Streams the deployed workloads' log lines as "logs" events from the first successful deploy until the loop ends.</summary>
public interface ILogTailer
{
    /// <summary>Starts tailing and returns; tailing goes on in the background until <see cref="StopAsync"/> or cancellation.</summary>
    Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken);

    Task StopAsync();
}
