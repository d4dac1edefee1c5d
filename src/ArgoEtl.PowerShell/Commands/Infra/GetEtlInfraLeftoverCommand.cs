using System.Management.Automation;
using ArgoEtl.Core.Infra.Eks;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Lists what an EKS cluster's controllers left in AWS: load balancers, target groups, security groups and network interfaces tagged for the cluster.</para>
/// <para type="description">Read-only: the report the typical setup's eks-cleanup.sh printed after 'eksctl delete cluster'. Load balancers and target
/// groups tagged elbv2.k8s.aws/cluster=NAME, security groups with that tag or the key kubernetes.io/cluster/NAME, and network interfaces tagged
/// cluster.k8s.amazonaws.com/name=NAME, in the order Remove-EtlInfraLeftover deletes them, each with the Region it is in. Pipe to Remove-EtlInfraLeftover to delete (each one asks, in that region).
/// While the cluster still exists in the region, nothing is reported (error EksClusterStillExists): delete the cluster first.</para>
/// </summary>
/// <example>
/// <code>Get-EtlInfraLeftover -ClusterName etl -Region eu-west-1</code>
/// <para>Shows what is left of cluster etl.</para>
/// </example>
/// <example>
/// <code>Get-EtlInfraLeftover -ClusterName etl | Remove-EtlInfraLeftover</code>
/// <para>Deletes them, confirming each.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "EtlInfraLeftover")]
[OutputType(typeof(EksLeftover))]
public sealed class GetEtlInfraLeftoverCommand : AwsCmdlet
{
    /// <summary>
    /// <para type="description">The EKS cluster's name (it may be deleted already).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string ClusterName { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        try
        {
            using var aws = OpenSession();
            WriteObject(Run(ct => new EksLeftovers(aws).FindAsync(ClusterName, ct)), enumerateCollection: true);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
