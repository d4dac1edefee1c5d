using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>The profile's portForward entries as <see cref="PortForward"/>s that hold: health changes are "forward" events.</summary>
public sealed class KubernetesPortForwarder(KubeClient client, EtlProfile profile) : IPortForwarder
{
    private readonly List<PortForward> _forwards = [];

    /// <summary>How often each forward checks it still reaches a pod.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The open forwards (their local endpoints), for messages and tests.</summary>
    public IReadOnlyList<PortForward> Forwards => _forwards;

    public async Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);
        try
        {
            foreach (var f in profile.PortForwards)
            {
                Open(f, progress);
            }
        }
        catch (EtlException)
        {
            // One busy local port must not leave the forwards opened before it running.
            await StopAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void Open(EtlPortForward f, IProgress<DevEvent> progress)
    {
        var forward = PortForward.Start(client, f.Namespace ?? client.DefaultNamespace, f.ResourceType, f.ResourceName, f.Port, f.LocalPort ?? f.Port, f.Address ?? "127.0.0.1",
            message => progress.Report(new DevEvent("forward", message)), healthInterval: HealthInterval);
        _forwards.Add(forward);
        progress.Report(new DevEvent("forward", $"Forwarding {forward}"));
    }

    public async Task StopAsync()
    {
        foreach (var forward in _forwards)
        {
            await forward.DisposeAsync().ConfigureAwait(false);
        }

        _forwards.Clear();
    }
}
