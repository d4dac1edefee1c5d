using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// The project's Deployments running as host processes, and their Services mapped to them: a Service that selects a
/// Deployment's pod labels maps each of its ports that targets the container port (by number or name) to the
/// process's loopback port, so <c>ftp-events:8080</c> in an EventSource url (or a step's args) reaches it, as
/// in-cluster store addresses do. Started in manifest order once all addresses are known; stopped in reverse.
/// </summary>
public sealed class LocalWorkloadSet : IAsyncDisposable
{
    private readonly List<HostWorkload> _workloads;
    private readonly LocalResources _resources;

    private LocalWorkloadSet(List<HostWorkload> workloads, LocalResources resources)
    {
        _workloads = workloads;
        _resources = resources;
    }

    /// <summary>How long a process may take to listen: generous, since a loaded machine starts .NET slowly.</summary>
    public static TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromSeconds(120);

    public IReadOnlyList<HostWorkload> Workloads => _workloads;

    public static async Task<LocalWorkloadSet> StartAsync(IReadOnlyList<WorkloadDefinition> definitions, IReadOnlyList<ManifestDocument> documents, LocalResources resources,
        IReadOnlyDictionary<string, HostImage> images, string stateDirectory, Action<string, string>? log, Action<string>? verbose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(images);
        WorkloadParser.CheckImages(definitions, images);
        ExternalServices.Map(documents, resources);

        // Ports and volumes first, every Service mapped, then the processes: one may dial another at start. A
        // workload's constructor already writes its Secret files, so one that fails (a Secret nobody provides) has
        // those built before it disposed: their files must not stay on disk.
        var workloads = new List<HostWorkload>();
        try
        {
            foreach (var definition in definitions)
            {
                workloads.Add(new HostWorkload(definition, images[definition.Image], resources, stateDirectory, log, verbose));
            }

            var set = new LocalWorkloadSet(workloads, resources);
            foreach (var workload in workloads)
            {
                set.MapServices(workload, documents);
            }

            foreach (var workload in workloads)
            {
                await workload.StartAsync(ReadyTimeout, cancellationToken).ConfigureAwait(false);
                verbose?.Invoke($"{workload.Definition}: running as a host process{(workload.Port is { } port ? $" on 127.0.0.1:{port}" : string.Empty)} (log: {workload.LogPath}).");
            }

            return set;
        }
        catch
        {
            foreach (var workload in Enumerable.Reverse(workloads))
            {
                await workload.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// A generic event as it is dialled from this machine: its url through the Service map, and its config rewritten
    /// for the process behind that url (see <see cref="GenericConfigAddresses"/>). Other events are returned as they are.
    /// </summary>
    public EventSourceDefinition Localize(EventSourceDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition is not GenericEventDefinition generic)
        {
            return definition;
        }

        string url = _resources.RewriteAddresses(generic.Url);
        var behind = _workloads.FirstOrDefault(w => w.Port is { } port && url.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
        string config = GenericConfigAddresses.Rewrite(generic.Config, _resources.RewriteAddresses, behind?.Mounts ?? []);
        return url == generic.Url && config == generic.Config ? generic : generic with { Url = url, Config = config };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var workload in Enumerable.Reverse(_workloads))
        {
            await workload.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void MapServices(HostWorkload workload, IReadOnlyList<ManifestDocument> documents)
    {
        if (workload.Port is not { } local)
        {
            return;
        }

        string? portName = WorkloadParser.ContainerPortName(workload.Definition);
        foreach (var service in documents.Where(d => d.Kind == "Service"))
        {
            if (service.Object["spec"]?["selector"] is not JsonObject { Count: > 0 } selector
                || !selector.All(p => workload.Definition.Labels.TryGetValue(p.Key, out string? v) && v == p.Value?.ToString()))
            {
                continue;
            }

            foreach (var port in (service.Object["spec"]?["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                int? number = ExternalServices.Number(port["port"]);
                var target = port["targetPort"] ?? port["port"];
                bool targets = ExternalServices.Number(target) is { } t ? t == workload.ContainerPort : portName is not null && target?.ToString() == portName;
                if (number is { } servicePort && targets)
                {
                    _resources.MapService(service.Name, servicePort, new Uri($"http://127.0.0.1:{local}"));
                }
            }
        }
    }
}
