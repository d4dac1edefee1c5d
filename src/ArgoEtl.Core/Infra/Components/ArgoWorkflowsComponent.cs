using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>Argo Workflows: its namespace and the pinned release (its CRDs need server-side apply).</summary>
public sealed class ArgoWorkflowsComponent : InfraComponent
{
    public override string Name => InfraPlanner.ArgoWorkflows;

    public override async Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string ns = context.Options.WorkflowsNamespace;
        var docs = await UpstreamManifests.LoadWorkflowsAsync(context.Options, cancellationToken).ConfigureAwait(false);
        return [new(KubeObjects.Namespace(ns), Name), .. docs.Select(o => new KubeObject(KubeObjects.Place(o, ns), Name))];
    }
}
