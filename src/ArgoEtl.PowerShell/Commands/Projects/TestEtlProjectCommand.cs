using System.Management.Automation;
using ArgoEtl.Core.Lint;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// <para type="synopsis">Checks an Argo Events + Argo Workflows project for mistakes that otherwise only show in the cluster.</para>
/// <para type="description">Reads the profile's manifests as written and reports, with file, line, severity and a suggestion: Sensor trigger
/// parameters from undeclared dependencies; dependencies on EventSources or events the project does not define; parameter destinations
/// (spec.arguments.parameters.N.value) that do not exist; {{inputs.parameters.x}} and {{workflow.parameters.x}} that are not declared;
/// Workflow entrypoints that name no template; images that are neither build artifacts nor fully qualified; Secret keys that neither the
/// project nor Install-EtlInfra creates; Argo objects missing what their schemas require; manifest documents that are not Kubernetes
/// objects (no apiVersion, kind or metadata.name: Export-EtlManifest refuses them); the same kind/namespace/name defined twice; rawYaml
/// patterns that match nothing (at their skaffold.yaml line); and unknown skaffold.yaml fields.
/// Returns findings; with -Strict, any error or warning then stops the pipeline with a terminating error (for CI).</para>
/// </summary>
/// <example>
/// <code>Test-EtlProject ./examples/minio-json</code>
/// <para>Lists the findings for the project's base config and auto-activated profiles.</para>
/// </example>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json -Name local | Test-EtlProject -Strict</code>
/// <para>Fails a CI job when the 'local' profile has any error or warning.</para>
/// </example>
[Cmdlet(VerbsDiagnostic.Test, "EtlProject", DefaultParameterSetName = PathSet)]
[OutputType(typeof(EtlFinding))]
public sealed class TestEtlProjectCommand : ProfileCmdlet
{
    private int _serious;

    /// <summary>
    /// <para type="description">After reporting, stop with a terminating error if there was any error or warning.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Strict { get; set; }

    protected override string SkaffoldCommand => "render";

    protected override void ProcessRecord()
    {
        try
        {
            var (profiles, warnings) = ResolveProfiles();
            foreach (var profile in profiles)
            {
                foreach (var finding in ProjectLinter.Lint(profile, warnings))
                {
                    if (finding.Severity is FindingSeverity.Error or FindingSeverity.Warning)
                    {
                        _serious++;
                    }

                    WriteObject(finding);
                }

                // Project-level warnings belong to the project, not to each of its profiles.
                warnings = [];
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }

    protected override void EndProcessing()
    {
        if (Strict && _serious > 0)
        {
            ThrowTerminatingError(ErrorRecords.Create(EtlErrors.ProjectCheckFailed, $"Test-EtlProject found {_serious} error(s) or warning(s).", null, "Fix the findings listed above, or run without -Strict to only report them."));
        }
    }
}
