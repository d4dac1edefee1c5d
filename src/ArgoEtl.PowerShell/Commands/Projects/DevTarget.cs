namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>Where Start-EtlDev runs the pipeline.</summary>
public enum DevTarget
{
    /// <summary>Kubernetes when a kube context exists, else Local.</summary>
    Auto,

    /// <summary>The kube context's cluster (skaffold dev).</summary>
    Kubernetes,

    /// <summary>This machine, without a cluster.</summary>
    Local,
}
