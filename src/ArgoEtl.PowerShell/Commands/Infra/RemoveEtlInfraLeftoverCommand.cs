using System.Management.Automation;
using ArgoEtl.Core.Infra.Eks;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Deletes leftovers of an EKS cluster that Get-EtlInfraLeftover reported, each one only when confirmed.</para>
/// <para type="description">ConfirmImpact is High: every load balancer, target group, security group or network interface is confirmed on its own
/// (or listed by -WhatIf). One already gone is skipped; a network interface still in use is reported as an error and the rest go on.</para>
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
            using var aws = OpenSession();
            if (!Run(ct => new EksLeftovers(aws).RemoveAsync(leftover, ct)))
            {
                WriteVerbose($"{leftover} was already gone.");
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
