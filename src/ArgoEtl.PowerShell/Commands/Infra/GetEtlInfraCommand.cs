using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Reports each part of the Argo ETL platform and its health.</para>
/// <para type="description">For Argo Events, the EventBus, the Sensors' RBAC, Argo Workflows, the UI token and the object store: whether every object
/// Install-EtlInfra applies exists, CRDs are Established, Deployments are available and the token Secret is filled in. Status is Healthy, Degraded
/// (with the problems) or Missing.</para>
/// </summary>
/// <example>
/// <code>Get-EtlInfra | Where-Object Status -ne Healthy</code>
/// <para>Shows only what needs attention.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "EtlInfra")]
[OutputType(typeof(InfraComponentStatus))]
public sealed class GetEtlInfraCommand : InfraCmdlet
{
    protected override void ProcessRecord()
    {
        try
        {
            using var client = Connect();
            var service = new InfraService(client, Options());
            WriteObject(Run(ct => service.StatusAsync(ct)), enumerateCollection: true);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
