using System.Management.Automation;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Infra.Eks;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Deletes leftovers of an EKS cluster that Get-EtlInfraLeftover reported, each one only when confirmed.</para>
/// <para type="description">ConfirmImpact is High: every load balancer, target group, security group or network interface is confirmed on its own
/// (or listed by -WhatIf), in the region it was found in (its Region binds -Region by property name). While the cluster still exists nothing is
/// deleted (error EksClusterStillExists). Writes each leftover it removed. One already gone is skipped; a network interface still in use is skipped with a warning and the rest go on.</para>
/// </summary>
/// <example>
/// <code>Get-EtlInfraLeftover -ClusterName etl | Remove-EtlInfraLeftover -WhatIf</code>
/// <para>Lists what would be deleted.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "EtlInfraLeftover", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EksLeftover))]
public sealed class RemoveEtlInfraLeftoverCommand : AwsCmdlet
{
    /// <summary>
    /// <para type="description">A leftover from Get-EtlInfraLeftover.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public EksLeftover? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not { } leftover || !ShouldProcess($"{leftover.Kind} {leftover.Name} ({leftover.Id})", "Delete"))
        {
            return;
        }

        try
        {
            // The leftover's own region, whatever the default region is: it was found there.
            using var aws = new AwsSession(Connection() with { Region = leftover.Region });
            switch (Run(ct => new EksLeftovers(aws).RemoveAsync(leftover, ct)))
            {
                case EksLeftoverRemoval.Removed:
                    WriteObject(leftover);
                    break;
                case EksLeftoverRemoval.AlreadyGone:
                    WriteVerbose($"{leftover} was already gone.");
                    break;
                case EksLeftoverRemoval.InUse:
                    WriteWarning($"{leftover} in {leftover.Region} is still in use; skipped. Delete what uses it (an instance, a load balancer), then run again.");
                    break;
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
