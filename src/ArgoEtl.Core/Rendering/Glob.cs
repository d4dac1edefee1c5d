using System.Text;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// Skaffold's rawYaml patterns: paths relative to the config with '*' (within one folder), '**' (any depth) and '?'.
/// Matches come back sorted (ordinal), so rendering is the same on every machine.
/// </summary>
public static class Glob
{
    public static IReadOnlyList<string> Expand(string baseDirectory, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        string normalized = pattern.Replace('\\', '/');
        if (normalized.IndexOfAny(['*', '?', '[']) < 0)
        {
            string single = Path.GetFullPath(Path.Combine(baseDirectory, normalized));
            return File.Exists(single) ? [single] : [];
        }

        // Search from the longest folder prefix without wildcards.
        var parts = normalized.Split('/');
        int fixedParts = parts.TakeWhile(p => p.IndexOfAny(['*', '?', '[']) < 0).Count();
        string root = Path.GetFullPath(Path.Combine(baseDirectory, string.Join('/', parts.Take(fixedParts))));
        if (!Directory.Exists(root))
        {
            return [];
        }

        var regex = new Regex("^" + ToRegex(string.Join('/', parts.Skip(fixedParts))) + "$", RegexOptions.None, TimeSpan.FromSeconds(1));
        return [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)];
    }

    internal static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches zero or more folders; a trailing "**" anything.
                bool slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                sb.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return sb.ToString();
    }
}
