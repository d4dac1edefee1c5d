namespace ArgoEtl.Core.Dev;

/// <summary>Opens the profile's port-forwards after the first successful deploy and keeps them until the loop ends.</summary>
public interface IPortForwarder
{
    /// <summary>Starts forwarding (reporting each forward as a "forward" event) and returns; forwards stay open until <see cref="StopAsync"/>.</summary>
    Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken);

    Task StopAsync();
}
