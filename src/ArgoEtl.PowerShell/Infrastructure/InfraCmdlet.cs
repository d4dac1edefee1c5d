using System.Management.Automation;
using ArgoEtl.Core.Infra;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Base for the cmdlets that install, read and remove the platform: the cluster, and which Argo releases from where.</summary>
public abstract class InfraCmdlet : KubeCmdlet
{
    /// <summary>
    /// <para type="description">A folder with local copies of the Argo manifests (events/install.yaml; workflows/install.yaml, or the CRDs plus install-no-crds.yaml), for air-gapped clusters. Default: download the pinned releases.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ManifestSource { get; set; }

    /// <summary>
    /// <para type="description">The Argo Events release to install. Default: v1.9.6.</para>
    /// </summary>
    [Parameter]
    [ValidatePattern(@"^v\d+\.\d+\.\d+$")]
    public string ArgoEventsVersion { get; set; } = new InfraOptions().ArgoEventsVersion;

    /// <summary>
    /// <para type="description">The Argo Workflows release to install. Default: v4.1.2.</para>
    /// </summary>
    [Parameter]
    [ValidatePattern(@"^v\d+\.\d+\.\d+$")]
    public string ArgoWorkflowsVersion { get; set; } = new InfraOptions().ArgoWorkflowsVersion;

    protected virtual InfraOptions Options() => new()
    {
        ManifestSource = ManifestSource is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ManifestSource),
        ArgoEventsVersion = ArgoEventsVersion,
        ArgoWorkflowsVersion = ArgoWorkflowsVersion,
    };
}
