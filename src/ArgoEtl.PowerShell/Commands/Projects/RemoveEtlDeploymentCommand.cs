using System.Management.Automation;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// <para type="synopsis">Removes what a dev session left in the cluster ('skaffold delete'): everything carrying its labels, and nothing else.</para>
/// <para type="description">Finds every object labelled app.kubernetes.io/managed-by=argoetl and argoetl.io/project=dev-&lt;project&gt; — what Start-EtlDev -Once
/// or -NoCleanup left running — and deletes it, custom resources first and namespaces last. The project is the profile's (piped from Get-EtlProfile, or the
/// project at -Path), or -Project, which binds by property name from what Start-EtlDev wrote, so `Start-EtlDev -Once | Remove-EtlDeployment` works.
/// Objects that existed before the session carry no such label and stay. The skaffold.yaml cleanup hooks are not run. -WhatIf lists what would be deleted.</para>
/// </summary>
/// <example>
/// <code>Remove-EtlDeployment -Path ./examples/minio-json -WhatIf</code>
/// <para>Lists what a session of the MinIO → JSON pipeline left in the current kube context's cluster.</para>
/// </example>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json -Name local | Start-EtlDev -Once | Remove-EtlDeployment -Confirm:$false</code>
/// <para>Deploys once, then removes exactly that.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "EtlDeployment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(AppliedObject))]
public sealed class RemoveEtlDeploymentCommand : KubeCmdlet
{
    private const string ProfileSet = "Profile";
    private const string PathSet = "Path";
    private const string ProjectSet = "Project";
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);

    /// <summary>
    /// <para type="description">A profile from Get-EtlProfile (usually piped): remove what its dev sessions deployed.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ProfileSet)]
    public EtlProfile? Profile { get; set; }

    /// <summary>
    /// <para type="description">The project folder or its skaffold.yaml. Default: the current folder.</para>
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>
    /// <para type="description">The session's project label value (dev-&lt;skaffold.yaml metadata.name&gt;), as the Project property of what Start-EtlDev wrote; binds by property name.</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ProjectSet)]
    // Only a dev session's label (dev-...): Install-EtlInfra's objects carry a Project too, and piping them here must
    // not remove the platform.
    [ValidatePattern(@"^dev-[A-Za-z0-9]([-A-Za-z0-9_.]{0,57}[A-Za-z0-9])?$")]
    public string? Project { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            string project = ParameterSetName switch
            {
                ProjectSet => Project!,
                ProfileSet => KubernetesDeployer.ProjectFor(Profile!),
                _ => KubernetesDeployer.ProjectFor(SkaffoldProject.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), new ProjectContext("delete")).Effective(null)[0]),
            };

            // Piped objects of one session name the same project many times: it is removed once.
            if (!_done.Add(project))
            {
                return;
            }

            using var client = Connect();
            var engine = new ApplyEngine(client);
            var owned = Run(ct => engine.ListOwnedAsync(project, ct));
            if (owned.Count == 0)
            {
                WriteVerbose($"Nothing labelled {ApplyEngine.ProjectLabel}={project} was found.");
                return;
            }

            var approved = owned.Where(o => ShouldProcess($"{o.Kind}/{o.Name}{(o.Namespace is null ? string.Empty : $" (namespace {o.Namespace})")}", "Delete")).ToList();
            if (approved.Count > 0)
            {
                WriteObject(RunReporting($"Removing {project}", approved.Count, (AppliedObject a) => a.ToString(), (progress, ct) => engine.DeleteAsync(approved, progress, ct)), enumerateCollection: true);
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
