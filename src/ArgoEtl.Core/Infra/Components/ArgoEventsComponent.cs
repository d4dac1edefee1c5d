using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>Argo Events: its namespace and the pinned release's install.yaml.</summary>
public sealed class ArgoEventsComponent : InfraComponent
{
    public override string Name => InfraPlanner.ArgoEvents;

    public override async Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string ns = context.Options.EventsNamespace;
        var docs = await UpstreamManifests.LoadYamlAsync(context.Options, "events", "install.yaml", context.Options.ArgoEventsUrl, cancellationToken).ConfigureAwait(false);
        return [new(KubeObjects.Namespace(ns), Name), .. docs.Select(o => new KubeObject(KubeObjects.Place(o, ns), Name))];
    }
}
