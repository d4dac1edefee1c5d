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
        return [.. FilesUnder(root)
            .Where(f => regex.IsMatch(Path.GetRelativePath(root, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Every file under a folder once. Symlinked folders are followed (Skaffold does), except into a folder already
    /// visited or one that holds the root (a link back up, such as k8s/loop -> ..), so a loop ends instead of
    /// repeating every file; a file reached through two links counts once, by its first path in ordinal order.
    /// </summary>
    public static IEnumerable<string> FilesUnder(string root)
    {
        string realRoot = RealPath(root);
        var visited = new HashSet<string>(StringComparer.Ordinal) { realRoot };
        var files = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Shown, string Real)>();
        pending.Push((root, realRoot));
        while (pending.TryPop(out var folder))
        {
            foreach (string file in Directory.EnumerateFiles(folder.Shown).Order(StringComparer.Ordinal))
            {
                if (files.Add(RealPath(Path.Combine(folder.Real, Path.GetFileName(file)))))
                {
                    yield return file;
                }
            }

            foreach (string sub in Directory.EnumerateDirectories(folder.Shown).Order(StringComparer.Ordinal).Reverse())
            {
                string real = RealPath(Path.Combine(folder.Real, Path.GetFileName(sub)));
                if (visited.Add(real) && !IsWithin(realRoot, real))
                {
                    pending.Push((sub, real));
                }
            }
        }
    }

    // The path with its last part's links resolved; callers build it from an already real parent, so it is canonical.
    private static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        try
        {
            return Path.TrimEndingDirectorySeparator(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full);
        }
        catch (IOException)
        {
            // A dangling or unreadable link: keep its own path, so it is visited once at most.
            return full;
        }
    }

    // True when inner is folder or below it: following a link to an ancestor of the root walks the root again.
    private static bool IsWithin(string inner, string folder) =>
        inner == folder || inner.StartsWith(Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

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
