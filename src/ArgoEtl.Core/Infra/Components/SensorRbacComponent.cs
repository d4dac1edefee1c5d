using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>What Sensors run as to create Workflows (operate-workflow-sa), and what the Workflows' pods (default SA) need to report results.</summary>
public sealed class SensorRbacComponent : InfraComponent
{
    public override string Name => InfraPlanner.SensorRbac;

    public override Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string events = context.Options.EventsNamespace;
        return Task.FromResult<IReadOnlyList<KubeObject>>(
        [
            new(KubeObjects.Obj("v1", "ServiceAccount", "operate-workflow-sa", events), Name),
            new(KubeObjects.Obj("rbac.authorization.k8s.io/v1", "Role", "operate-workflow-role", events, new JsonObject
            {
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray("argoproj.io"),
                    ["resources"] = new JsonArray("workflows", "workflowtemplates", "cronworkflows", "clusterworkflowtemplates"),
                    ["verbs"] = new JsonArray("create", "get", "list", "watch", "update", "patch", "delete"),
                }),
            }), Name),
            new(KubeObjects.Binding("operate-workflow-role-binding", events, "operate-workflow-role", "operate-workflow-sa"), Name),
            new(KubeObjects.Obj("rbac.authorization.k8s.io/v1", "Role", "argoetl-executor", events, new JsonObject
            {
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["apiGroups"] = new JsonArray("argoproj.io"),
                    ["resources"] = new JsonArray("workflowtaskresults"),
                    ["verbs"] = new JsonArray("create", "patch"),
                }),
            }), Name),
            new(KubeObjects.Binding("argoetl-executor", events, "argoetl-executor", "default"), Name),
        ]);
    }
}
