using System.Management.Automation;
using Amazon.Runtime;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Etl.Aws;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// Base of the infra cmdlets: the cluster (KubeCmdlet), which platform (-Profile Local or Eks), and for Eks the cluster
/// name and the AWS connection parameters AwsCmdlet also has (-Region, -ProfileName, -Credential, -EndpointUrl).
/// </summary>
public abstract class InfraCmdlet : KubeCmdlet
{
    private AwsSession? _aws;

    /// <summary>The platform, Local or Eks (each cmdlet declares the parameter with its own help and parameter sets).</summary>
    public abstract string Profile { get; set; }

    /// <summary>
    /// <para type="description">Eks: the EKS cluster's name (it is never created or deleted here).</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    /// <summary>
    /// <para type="description">Eks: the AWS region; default from AWS_REGION, AWS_DEFAULT_REGION or the profile.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Region { get; set; }

    /// <summary>
    /// <para type="description">Eks: a profile from the shared AWS config and credentials files; default AWS_PROFILE, then the SDK's credential chain.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get; set; }

    /// <summary>
    /// <para type="description">Eks: credentials to use instead of the profile or chain: the access key id as user name and the secret access key as password.</para>
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>
    /// <para type="description">Eks: send every AWS call to this endpoint instead of AWS (an emulator), as the AWS CLI's --endpoint-url.</para>
    /// </summary>
    [Parameter]
    public Uri? EndpointUrl { get; set; }

    /// <summary>True for -Profile Eks.</summary>
    protected bool IsEks => Profile.Equals("Eks", StringComparison.OrdinalIgnoreCase);

    /// <summary>Eks settings beyond the cluster name (Install adds -PodIdentity and -ArtifactBucket).</summary>
    protected virtual EksOptions EksOptions(string clusterName) => new() { ClusterName = clusterName };

    /// <summary>The service for the chosen platform's composition.</summary>
    protected InfraService Service(KubeClient client, InfraOptions options, TimeSpan timeout)
    {
        if (!IsEks)
        {
            return new InfraService(new InfraPlanner(new InfraContext(client, options) { Timeout = timeout }, InfraCompositions.Local()));
        }

        string cluster = ClusterName ?? throw new EtlException(EtlErrors.EksClusterNameRequired, EtlErrorKind.InvalidArgument, "-Profile Eks needs -ClusterName.",
            "Pass the EKS cluster's name: -ClusterName my-cluster (aws eks list-clusters shows them).", "ClusterName");
        _aws = new AwsSession(new AwsConnection
        {
            Region = Region,
            ProfileName = ProfileName,
            EndpointUrl = EndpointUrl,
            Credentials = Credential is null ? null : new BasicAWSCredentials(Credential.UserName, Credential.GetNetworkCredential().Password),
        });
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
