using ArgoEtl.Core.Infra.Components;
using ArgoEtl.Core.Infra.Eks;

namespace ArgoEtl.Core.Infra;

/// <summary>The platforms Install-EtlInfra knows, as lists of components (not if/else in one plan).</summary>
public static class InfraCompositions
{
    /// <summary>minikube and similar: Argo Events, Argo Workflows, the EventBus, Sensor RBAC, the UI token, an in-cluster object store.</summary>
    public static IReadOnlyList<InfraComponent> Local() =>
        [new ArgoEventsComponent(), new ArgoWorkflowsComponent(), new EventBusComponent(), new SensorRbacComponent(), new UiTokenComponent(), new ObjectStoreComponent()];

    /// <summary>
    /// Amazon EKS: the cluster's OIDC provider, the load balancer controller's policy, role and ServiceAccount, the
    /// controller; then the Argo components as in Local, argo-server behind an ALB Ingress, and the artifact repository
    /// on S3 (with -ArtifactBucket) instead of an in-cluster store.
    /// </summary>
    public static IReadOnlyList<InfraComponent> Eks(EksOptions eks)
    {
        ArgumentNullException.ThrowIfNull(eks);
        var components = new List<InfraComponent>
        {
            new OidcProviderComponent(),
            new LoadBalancerControllerPolicyComponent(),
            new LoadBalancerControllerIdentityComponent(),
            new LoadBalancerControllerComponent(),
            new ArgoEventsComponent(),
            new ArgoWorkflowsComponent(),
            new EventBusComponent(),
            new SensorRbacComponent(),
            new UiTokenComponent(),
            new ArgoServerIngressComponent(),
        };
        if (eks.ArtifactBucket is not null)
        {
            components.Add(new S3ArtifactRepositoryComponent());
        }

        return components;
    }
}
