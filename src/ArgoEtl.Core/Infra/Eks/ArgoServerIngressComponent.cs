using System.Text.Json.Nodes;
using ArgoEtl.Core.Infra.Components;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// argo-server behind an ALB (the controller of step 4 makes it). The typical setup made it internet-facing on plain
/// HTTP 80, which sends every bearer token across the internet in clear; here the ALB is internal on HTTP 80 by
/// default (VPC only), and internet-facing only with a certificate, on HTTPS 443 (EksOptions.InternetFacingCertificateArn).
/// </summary>
public sealed class ArgoServerIngressComponent : InfraComponent
{
    public override string Name => "ArgoServerIngress";

    public override Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? certificate = context.RequireEks().InternetFacingCertificateArn;
        var annotations = new JsonObject
        {
            ["alb.ingress.kubernetes.io/scheme"] = certificate is null ? "internal" : "internet-facing",
            ["alb.ingress.kubernetes.io/target-type"] = "ip",
            // argo-server serves HTTPS on 2746 with its own certificate.
            ["alb.ingress.kubernetes.io/backend-protocol"] = "HTTPS",
            ["alb.ingress.kubernetes.io/healthcheck-protocol"] = "HTTPS",
            ["alb.ingress.kubernetes.io/listen-ports"] = certificate is null ? """[{"HTTP": 80}]""" : """[{"HTTPS": 443}]""",
        };
        if (certificate is not null)
        {
            annotations["alb.ingress.kubernetes.io/certificate-arn"] = certificate;
        }

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
