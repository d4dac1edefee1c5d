using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Removes what Install-EtlInfra created, and nothing else.</para>
/// <para type="description">Deletes every object labelled app.kubernetes.io/managed-by=argoetl and argoetl.io/project=argoetl-infra, custom resources
/// first and namespaces last. Objects that existed before the install (a namespace you made, a ConfigMap of your own) carry no such label and stay.</para>
/// </summary>
/// <example>
/// <code>Uninstall-EtlInfra -WhatIf</code>
/// <para>Lists what would be deleted.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Uninstall, "EtlInfra", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(AppliedObject))]
public sealed class UninstallEtlInfraCommand : InfraCmdlet
{
    protected override void ProcessRecord()
    {
        try
        {
            using var client = Connect();
            var engine = new ApplyEngine(client);
            var owned = Run(ct => InfraService.OwnedAsync(engine, ct));
            bool approved = true;
            foreach (var obj in owned)
            {
                approved &= ShouldProcess($"{obj.Kind}/{obj.Name}{(obj.Namespace is null ? string.Empty : $" (namespace {obj.Namespace})")}", "Delete");
            }

            if (owned.Count == 0)
            {
                WriteVerbose("Nothing installed by Install-EtlInfra was found.");
                return;
            }

            if (approved)
            {
                WriteObject(RunReporting("Removing the Argo ETL platform", owned.Count, (AppliedObject a) => a.ToString(), (progress, ct) => engine.DeleteAsync(owned, progress, ct)), enumerateCollection: true);
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
