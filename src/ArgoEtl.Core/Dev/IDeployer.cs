using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// The dev loop's deploy phase for one target (Skaffold's deploy.Deployer): make the target run these objects, say
/// which extra files it depends on, and remove exactly what it deployed. Optional capabilities — log tailing, status
/// checks, port-forwarding, Workflow runs — are either implemented by the deployer itself or returned by it.
/// </summary>
public interface IDeployer
{
    /// <summary>Files, folders or patterns (full paths) beyond the manifests whose change means deploy again; usually none.</summary>
    IReadOnlyList<string> Dependencies { get; }

    /// <summary>Deploys every rendered object (the whole set each time: a target converges on it) built with <paramref name="images"/>.</summary>
    Task<IReadOnlyList<AppliedObject>> DeployAsync(IReadOnlyList<RenderedObject> objects, IReadOnlyList<EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken);

    /// <summary>Removes what this deployer deployed, and only that; what is already gone is not an error. Returns what it removed.</summary>
    Task<IReadOnlyList<AppliedObject>> CleanupAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken);

    /// <summary>Streams what the deployed workloads write; null when the target has none.</summary>
    ILogTailer? LogTailer => this as ILogTailer;

    /// <summary>Checks that what was deployed became healthy; null when deploying already waits for it.</summary>
    IStatusChecker? StatusChecker => this as IStatusChecker;

    /// <summary>Forwards the profile's ports; null when the target has nothing to forward.</summary>
    IPortForwarder? PortForwarder => this as IPortForwarder;

    /// <summary>Reports the pipeline's Workflow runs as they change phase; null when the target reports runs itself (or has none).</summary>
    IWorkflowRunWatcher? RunWatcher => this as IWorkflowRunWatcher;
}
