using System.Management.Automation;
using ArgoEtl.Core.Projects;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// <para type="synopsis">Reads a Skaffold project (skaffold.yaml, as-is) and returns its base config and each profile as objects.</para>
/// <para type="description">Opens skaffold.yaml files of apiVersion skaffold/v4beta1 to v4beta13 without changes. Each profile is resolved the way
/// 'skaffold -p name' resolves it: the profile's sections overlay the base field by field (lists and values replace), then its JSON patches
/// apply. Activation rules (env, kubeContext, command) are evaluated and reported in AutoActivated and Activation. The objects carry the build
/// artifacts, rawYaml manifests, Helm releases, hooks (including ArgoEtl's 'cleanup' phase), port-forwards and resource selectors, and pipe into
/// Export-EtlManifest, Test-EtlProject, Publish-EtlImage, Install-EtlInfra and Start-EtlDev. Unknown fields produce a warning with file and line.</para>
/// </summary>
/// <example>
/// <code>Get-EtlProfile -Path ./examples/minio-json</code>
/// <para>Lists the base config and every profile of the project.</para>
/// </example>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json -Name local | Export-EtlManifest -Image minio-etl=registry.local/minio-etl:1.0</code>
/// <para>Renders the manifests of the 'local' profile with a built image.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "EtlProfile")]
[OutputType(typeof(EtlProfile))]
public sealed class GetEtlProfileCommand : EtlCmdlet
{
    /// <summary>
    /// <para type="description">The project folder or its skaffold.yaml. Default: the current folder.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>
    /// <para type="description">Only these profiles ('(base)' names the config without a profile). Tab completes the project's profile names.</para>
    /// </summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// <para type="description">The Skaffold command that command activations compare with (dev, run, build, render, deploy, ...). Default: none.</para>
    /// </summary>
    [Parameter]
    public string? Command { get; set; }

    /// <summary>-KubeConfig and -KubeContext: the context kubeContext activations compare with.</summary>
    private KubeParameters Kube { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [Kube];

    protected override void ProcessRecord()
    {
        try
        {
            string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            var project = SkaffoldProject.Load(path, new ProjectContext(Command, Kube.Given ? Kube.ContextName(SessionState.Path.GetUnresolvedProviderPathFromPSPath) : null));
            foreach (var warning in project.Warnings)
            {
                WriteWarning(warning.ToString());
            }

            var profiles = Name is { Length: > 0 } ? project.Select(Name) : project.Profiles;
            WriteObject(profiles, enumerateCollection: true);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
