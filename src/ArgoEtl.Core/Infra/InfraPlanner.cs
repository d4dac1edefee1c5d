using System.Security.Cryptography;
using System.Text;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra;

/// <summary>
/// What a platform composition installs: every component's objects (applied together, in dependency order, by the
/// apply engine), the steps before them (AWS, with rollback) and the steps after them (a bucket, a helm release).
/// </summary>
public sealed class InfraPlanner
{
    public const string ArgoEvents = "ArgoEvents";
    public const string EventBus = "EventBus";
    public const string SensorRbac = "SensorRbac";
    public const string ArgoWorkflows = "ArgoWorkflows";
    public const string UiToken = "UiToken";
    public const string ObjectStore = "ObjectStore";
    public const string UiTokenSecret = "argo-server-token";

    /// <summary>The Local composition on <paramref name="client"/>.</summary>
    public InfraPlanner(KubeClient client, InfraOptions options)
        : this(new InfraContext(client, options), InfraCompositions.Local())
    {
    }

    public InfraPlanner(InfraContext context, IReadOnlyList<InfraComponent> components)
    {
        Context = context;
        Components = components;
    }

    public InfraContext Context { get; }

    public IReadOnlyList<InfraComponent> Components { get; }

    /// <summary>Every component's Kubernetes objects, in composition order.</summary>
    public async Task<IReadOnlyList<KubeObject>> PlanAsync(CancellationToken cancellationToken)
    {
        var objects = new List<KubeObject>();
        foreach (var component in Components)
        {
            objects.AddRange(await component.ObjectsAsync(Context, cancellationToken).ConfigureAwait(false));
        }

        return objects;
    }

    /// <summary>The whole install: steps before (only for what is missing), the objects, steps after. Only read-only calls are made.</summary>
    public async Task<InfraInstallPlan> PlanInstallAsync(CancellationToken cancellationToken)
    {
        var before = new List<InfraStep>();
        foreach (var component in Components)
        {
            before.AddRange(await component.PlanInstallAsync(Context, cancellationToken).ConfigureAwait(false));
        }

        var objects = await PlanAsync(cancellationToken).ConfigureAwait(false);
        var after = new List<InfraStep>();
        foreach (var component in Components)
        {
            after.AddRange(await component.PlanPostApplyAsync(Context, cancellationToken).ConfigureAwait(false));
        }

        return new InfraInstallPlan(before, objects, after);
    }

    /// <summary>What uninstall does outside Kubernetes, components in reverse order (what depends on a thing goes first).</summary>
    public async Task<IReadOnlyList<InfraStep>> PlanRemovalAsync(CancellationToken cancellationToken)
    {
        var steps = new List<InfraStep>();
        foreach (var component in Components.Reverse())
        {
            steps.AddRange(await component.PlanRemovalAsync(Context, cancellationToken).ConfigureAwait(false));
        }

        return steps;
    }

    /// <summary>A stable name for this set of versions: the run label, so that an identical second install changes nothing.</summary>
    public string RunId()
    {
        var options = Context.Options;
        string eks = Context.Eks is { } e ? $"|{e.ClusterName}|{e.ControllerVersion}|{e.ArtifactBucket}" : string.Empty;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{options.ArgoEventsVersion}|{options.ArgoWorkflowsVersion}|{options.JetStreamVersion}|{options.ObjectStoreImage}{eks}")))[..12];
    }
}

/// <summary>An install: steps before the objects (rolled back together on failure), the objects, steps after.</summary>
public sealed record InfraInstallPlan(IReadOnlyList<InfraStep> Before, IReadOnlyList<KubeObject> Objects, IReadOnlyList<InfraStep> After);
