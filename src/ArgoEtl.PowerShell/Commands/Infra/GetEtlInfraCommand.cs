using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Reports each part of the Argo ETL platform and its health.</para>
/// <para type="description">For Argo Events, the EventBus, the Sensors' RBAC, Argo Workflows, the UI token and the object store: whether every object
/// Install-EtlInfra applies exists, CRDs are Established, Deployments are available and the token Secret is filled in. With -Platform Eks also the OIDC
/// provider, the load balancer controller's policy, role (policy attached, pod identity association) and controller, the ALB Ingress and the S3 artifact
/// repository. Status is Healthy, Degraded (with the problems) or Missing.</para>
/// </summary>
/// <example>
/// <code>Get-EtlInfra | Where-Object Status -ne Healthy</code>
/// <para>Shows only what needs attention.</para>
/// </example>
/// <example>
/// <code>Get-EtlInfra -Platform Eks -ClusterName etl -Region eu-west-1</code>
/// <para>Reports the EKS platform's components, AWS parts included.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "EtlInfra")]
[OutputType(typeof(InfraComponentStatus))]
public sealed class GetEtlInfraCommand : InfraCmdlet
{
    /// <summary>
    /// <para type="description">The platform to report: Local (default) or Eks (needs -ClusterName).</para>
    /// </summary>
    [Parameter(Position = 0)]
    [Alias("Profile")]
    [ValidateSet("Local", "Eks")]
    public override string Platform { get; set; } = "Local";

    protected override void ProcessRecord()
    {
        try
        {
            using var client = Connect();
            var service = Service(client, Options(), TimeSpan.FromMinutes(5));
            WriteObject(Run(ct => service.StatusAsync(ct)), enumerateCollection: true);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
