using System.Text.Json.Nodes;
using ArgoEtl.Core.Infra.Components;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>argo-server behind an internet-facing ALB (the controller of step 4 makes it), as the typical setup did.</summary>
public sealed class ArgoServerIngressComponent : InfraComponent
{
    public override string Name => "ArgoServerIngress";

    public override Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var annotations = new JsonObject
        {
            ["alb.ingress.kubernetes.io/scheme"] = "internet-facing",
            ["alb.ingress.kubernetes.io/target-type"] = "ip",
            // argo-server serves HTTPS on 2746 with its own certificate.
            ["alb.ingress.kubernetes.io/backend-protocol"] = "HTTPS",
            ["alb.ingress.kubernetes.io/healthcheck-protocol"] = "HTTPS",
            ["alb.ingress.kubernetes.io/listen-ports"] = """[{"HTTP": 80}]""",
        };
        return Task.FromResult<IReadOnlyList<KubeObject>>([new(KubeObjects.Obj("networking.k8s.io/v1", "Ingress", "argo-server", context.Options.WorkflowsNamespace, new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["ingressClassName"] = "alb",
                ["rules"] = new JsonArray(new JsonObject
                {
                    ["http"] = new JsonObject
                    {
                        ["paths"] = new JsonArray(new JsonObject
                        {
                            ["path"] = "/",
                            ["pathType"] = "Prefix",
                            ["backend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "argo-server", ["port"] = new JsonObject { ["number"] = 2746 } } },
                        }),
                    },
                }),
            },
        }, annotations), Name)]);
    }
}
