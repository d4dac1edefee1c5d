using System.Management.Automation;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// Base for the cmdlets that install, read and remove the platform: the cluster (KubeCmdlet), which platform
/// (-Platform Local or Eks, alias -Profile), which Argo releases from where, and for Eks the cluster name and the AWS
/// connection (the same -Region, -ProfileName, -EndpointUrl bundle AwsCmdlet has, plus -Credential).
/// </summary>
public abstract class InfraCmdlet : KubeCmdlet
{
    private AwsSession? _aws;

    /// <summary>-Region, -ProfileName, -EndpointUrl (used by -Platform Eks).</summary>
    protected AwsParameters Aws { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [Kube, Aws];

    /// <summary>The platform, Local or Eks (each cmdlet declares the parameter with its own help and parameter sets).</summary>
    public abstract string Platform { get; set; }

    /// <summary>
    /// <para type="description">Eks: the EKS cluster's name (it is never created or deleted here).</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    /// <summary>
    /// <para type="description">Eks: AWS credentials to use instead of the profile or chain: the access key id as user name and the secret access key as password.</para>
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

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

    /// <summary>True for -Platform Eks.</summary>
    protected bool IsEks => Platform.Equals("Eks", StringComparison.OrdinalIgnoreCase);

    /// <summary>Eks settings beyond the cluster name (Install adds -PodIdentity and -ArtifactBucket).</summary>
    protected virtual EksOptions EksOptions(string clusterName) => new() { ClusterName = clusterName };

    /// <summary>The service for the chosen platform's composition.</summary>
    protected InfraService Service(KubeClient client, InfraOptions options, TimeSpan timeout)
    {
        if (!IsEks)
        {
            return new InfraService(new InfraPlanner(new InfraContext(client, options) { Timeout = timeout }, InfraCompositions.Local()));
        }

        string cluster = ClusterName ?? throw new EtlException(EtlErrors.EksClusterNameRequired, EtlErrorKind.InvalidArgument, "-Platform Eks needs -ClusterName.",
            "Pass the EKS cluster's name: -ClusterName my-cluster (aws eks list-clusters shows them).", "ClusterName");
        // A piped profile or cluster runs ProcessRecord again: the previous record's session is done with.
        _aws?.Dispose();
        _aws = new AwsSession(Aws.ConnectionWith(Credential));
        var eks = EksOptions(cluster);
        return new InfraService(new InfraPlanner(new InfraContext(client, options) { Aws = _aws, Eks = eks, Timeout = timeout }, InfraCompositions.Eks(eks)));
    }

    /// <summary>Asks ShouldProcess for each step without stopping at the first refusal (-WhatIf lists them all).</summary>
    protected bool Approve(IEnumerable<InfraStep> steps)
    {
        bool approved = true;
        foreach (var step in steps)
        {
            approved &= ShouldProcess(step.Change.Target, step.Change.Action);
        }

        return approved;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aws?.Dispose();
        }

        base.Dispose(disposing);
    }
}
