using System.Text.RegularExpressions;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// The manifest files a profile's rawYaml pattern names, as Export-EtlManifest and Test-EtlProject both read them.
/// A wildcard never picks up a Skaffold config (skaffold.yaml matched by k8s/**/*.yaml or **/*.yaml): it is a config,
/// not a Kubernetes object. A pattern that names a file literally gets exactly that file.
/// </summary>
public static partial class ManifestFiles
{
    public static IReadOnlyList<string> Expand(EtlProfile profile, string pattern)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(pattern);
        var files = Glob.Expand(profile.ProjectDirectory, pattern);
        return pattern.IndexOfAny(['*', '?', '[']) < 0 ? files : [.. files.Where(f => !IsSkaffoldConfig(f))];
    }

    /// <summary>A file named skaffold.yaml/.yml whose documents declare a skaffold/* apiVersion.</summary>
    public static bool IsSkaffoldConfig(string file)
    {
        string name = Path.GetFileName(file);
        if (!name.Equals("skaffold.yaml", StringComparison.OrdinalIgnoreCase) && !name.Equals("skaffold.yml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        try
        {
            return SkaffoldApiVersion().IsMatch(File.ReadAllText(file));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // reading it as a manifest then reports why it cannot be read
        }
    }

    [GeneratedRegex(@"^apiVersion:\s*['""]?skaffold/", RegexOptions.Multiline, matchTimeoutMilliseconds: 1000)]
    private static partial Regex SkaffoldApiVersion();
}
