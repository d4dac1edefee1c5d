using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Removes what Install-EtlInfra created, and nothing else.</para>
/// <para type="description">Deletes every object labelled app.kubernetes.io/managed-by=argoetl and argoetl.io/project=argoetl-infra, custom resources
/// first and namespaces last. Objects that existed before the install (a namespace you made, a ConfigMap of your own) carry no such label and stay.
/// With -Platform Eks it also removes the AWS side Install created (tagged app.kubernetes.io/managed-by=argoetl and argoetl.io/cluster): the pod identity
/// association, the controller's and the artifact repository's roles, the OIDC provider, and the controller policy — the account-wide policy only when
/// nothing else is attached to it (checked again just before deleting). Never the cluster. See Get-EtlInfraLeftover for what eksctl leaves behind.</para>
/// </summary>
/// <example>
/// <code>Uninstall-EtlInfra -WhatIf</code>
/// <para>Lists what would be deleted.</para>
/// </example>
/// <example>
/// <code>Uninstall-EtlInfra -Platform Eks -ClusterName etl -Region eu-west-1</code>
/// <para>Removes the EKS platform's objects and the IAM entities Install created for it.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Uninstall, "EtlInfra", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AppliedObject))]
public sealed class UninstallEtlInfraCommand : InfraCmdlet
{
    /// <summary>
    /// <para type="description">The platform to remove: Local (default) or Eks (needs -ClusterName).</para>
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
            var engine = new ApplyEngine(client);
            var service = Service(client, Options(), TimeSpan.FromMinutes(5));
            var owned = Run(ct => InfraService.OwnedAsync(engine, ct));
            var removal = IsEks ? Run(ct => service.Planner.PlanRemovalAsync(ct)) : [];
            bool approved = true;
            foreach (var obj in owned)
            {
                approved &= ShouldProcess($"{obj.Kind}/{obj.Name}{(obj.Namespace is null ? string.Empty : $" (namespace {obj.Namespace})")}", "Delete");
            }

            approved &= Approve(removal);
            if (owned.Count == 0 && removal.Count == 0)
            {
                WriteVerbose("Nothing installed by Install-EtlInfra was found.");
                return;
            }

            if (approved)
            {
                // The objects first (the controller still runs while the Ingress goes, so it can remove its ALB), then AWS.
                WriteObject(RunReporting("Removing the Argo ETL platform", owned.Count + removal.Count, (AppliedObject a) => a.ToString(), async (progress, ct) =>
                {
                    var deleted = await engine.DeleteAsync(owned, progress, ct).ConfigureAwait(false);
                    var aws = await InfraStep.RunAsync(removal, progress, ct).ConfigureAwait(false);
                    return (IReadOnlyList<AppliedObject>)[.. deleted, .. aws];
                }), enumerateCollection: true);
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
