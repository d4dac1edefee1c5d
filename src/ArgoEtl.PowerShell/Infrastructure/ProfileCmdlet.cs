using System.Management.Automation;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// Base for cmdlets that act on profiles: an EtlProfile from the pipeline (by value), or -Path and -Name (also by
/// property name) to read the project here, with activation evaluated for <see cref="SkaffoldCommand"/>.
/// </summary>
public abstract class ProfileCmdlet : EtlCmdlet
{
    protected const string ProfileSet = "Profile";
    protected const string PathSet = "Path";

    /// <summary>
    /// <para type="description">A profile from Get-EtlProfile (usually piped).</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ProfileSet)]
    public EtlProfile? Profile { get; set; }

    /// <summary>
    /// <para type="description">The project folder or its skaffold.yaml, when no profile is piped. Default: the current folder.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    /// <summary>
    /// <para type="description">Profiles to apply, together, with -Path (as Skaffold's -p a,b). Default: every profile that activates by itself, or the base config.</para>
    /// </summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [ArgumentCompleter(typeof(ProfileNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>The Skaffold command this cmdlet stands for, for command activations (render, build, deploy, dev).</summary>
    protected abstract string SkaffoldCommand { get; }

    /// <summary>The profiles to act on for this record, and the project's warnings (written once).</summary>
    protected (IReadOnlyList<EtlProfile> Profiles, IReadOnlyList<ProjectWarning> Warnings) ResolveProfiles()
    {
        if (Profile is not null)
        {
            return ([Profile], []);
        }

        var project = SkaffoldProject.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path), new ProjectContext(SkaffoldCommand));
        return (project.Effective(Name), project.Warnings);
    }
}
