using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Base for cmdlets that talk to a cluster: which kubeconfig and context, and the infrastructure's settings.</summary>
public abstract class KubeCmdlet : EtlCmdlet
{
    /// <summary>
    /// <para type="description">The kubeconfig file. Default: KUBECONFIG, then ~/.kube/config.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get; set; }

    /// <summary>
    /// <para type="description">The kubeconfig context. Default: its current context.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

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

    protected KubeClient Connect() =>
        KubeClient.Connect(KubeConfig is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(KubeConfig), Context);

    protected virtual InfraOptions Options() => new()
    {
        ManifestSource = ManifestSource is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ManifestSource),
        ArgoEventsVersion = ArgoEventsVersion,
        ArgoWorkflowsVersion = ArgoWorkflowsVersion,
    };

    protected T Run<T>(Func<CancellationToken, Task<T>> work) => RunWithProgress<T, object>((_, ct) => work(ct), _ => { });

    /// <summary>Runs core work that reports applied objects: one progress record and verbose line per object.</summary>
    protected T RunReporting<T>(string activity, int total, Func<IProgress<AppliedObject>, CancellationToken, Task<T>> work)
    {
        int done = 0;
        var record = new ProgressRecord(0x_C8E, activity, "Starting");
        try
        {
            return RunWithProgress(work, applied =>
            {
                done++;
                WriteVerbose(applied.ToString());
                record.StatusDescription = $"{applied.Kind}/{applied.Name}: {applied.Action}";
                record.PercentComplete = Math.Min(100, done * 100 / Math.Max(1, total));
                WriteProgress(record);
            });
        }
        finally
        {
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
    }
}
