using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Base for cmdlets that talk to a cluster: which kubeconfig and context (-KubeConfig, -KubeContext).</summary>
public abstract class KubeCmdlet : EtlCmdlet
{
    /// <summary>-KubeConfig and -KubeContext.</summary>
    protected KubeParameters Kube { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [Kube];

    protected KubeClient Connect() => Kube.Connect(SessionState.Path.GetUnresolvedProviderPathFromPSPath);
}
