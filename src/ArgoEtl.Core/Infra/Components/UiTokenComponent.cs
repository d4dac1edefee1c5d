using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>The service-account token Secret of argo-server: the UI's login (Get-EtlWorkflowToken).</summary>
public sealed class UiTokenComponent : InfraComponent
{
    public override string Name => InfraPlanner.UiToken;

    public override Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult<IReadOnlyList<KubeObject>>([new(KubeObjects.Obj("v1", "Secret", InfraPlanner.UiTokenSecret, context.Options.WorkflowsNamespace, new JsonObject
        {
            ["type"] = "kubernetes.io/service-account-token",
        }, annotations: new JsonObject { ["kubernetes.io/service-account.name"] = "argo-server" }), Name)]);
    }
}
