using System.Text.RegularExpressions;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Dev;

/// <summary>A dependency is a file, a folder (everything under it), or a pattern with Skaffold's '*', '**' and '?' (a rawYaml glob).</summary>
internal static class DependencyPath
{
    private static readonly char[] Wildcards = ['*', '?', '['];

    public static bool Matches(string dependency, string file)
    {
        string dep = Normalize(dependency);
        string path = Normalize(file);
        if (dep.IndexOfAny(Wildcards) < 0)
        {
            return path == dep || IsUnder(path, dep);
        }

        string folder = Normalize(Folder(dependency));
        if (!IsUnder(path, folder))
        {
            return false;
        }

        string rest = dep[(folder.TrimEnd('/').Length + 1)..];
        return Regex.IsMatch(path[(folder.TrimEnd('/').Length + 1)..], "^" + Glob.ToRegex(rest) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    /// <summary>The folder to watch for a dependency: a pattern's longest prefix without wildcards, a file's folder, or the folder itself.</summary>
    public static string Folder(string dependency)
    {
        string dep = Normalize(dependency);
        if (dep.IndexOfAny(Wildcards) >= 0)
        {
            var parts = dep.Split('/');
            return string.Join('/', parts.TakeWhile(p => p.IndexOfAny(Wildcards) < 0));
        }

        return Directory.Exists(dep) ? dep : Path.GetDirectoryName(dep) ?? dep;
    }

    public static bool IsUnder(string path, string folder)
    {
        string p = Normalize(path);
        string f = Normalize(folder).TrimEnd('/');
        return p.StartsWith(f + "/", StringComparison.Ordinal);
    }

    private static string Normalize(string path) => path.Replace('\\', '/');
}
