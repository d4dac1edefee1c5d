using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Completes -Name with the profile names of the project in -Path, or in the current folder.</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        ArgumentNullException.ThrowIfNull(fakeBoundParameters);
        string here = CurrentFolder();
        string path = fakeBoundParameters["Path"] is { } given ? System.IO.Path.Combine(here, given.ToString()!) : here;
        IReadOnlyList<string> names;
        try
        {
            names = SkaffoldProject.Load(path, new ProjectContext(kubeContext: string.Empty)).ProfileNames;
        }
        catch (EtlException)
        {
            // Nothing to complete from a folder without a (valid) project.
            return [];
        }

        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n.Contains(' ', StringComparison.Ordinal) ? $"'{n}'" : n, n, CompletionResultType.ParameterValue, $"profile {n} of {path}"));
    }

    // A completer runs while the session's pipeline is busy, so the location comes from a nested pipeline on the same
    // runspace (SessionStateProxy would refuse); the process's folder is not PowerShell's.
    private static string CurrentFolder()
    {
        using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
        var location = ps.AddCommand("Microsoft.PowerShell.Management\\Get-Location").Invoke<PathInfo>().FirstOrDefault();
        return location?.ProviderPath ?? Environment.CurrentDirectory;
    }
}
