using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Images;

/// <summary>
/// What an image is built from: the context's files that .dockerignore does not exclude, the Dockerfile, the build
/// args, the builder and the base image. Their digest is the default tag, so an unchanged artifact gets the same tag
/// and is found in the registry instead of rebuilt.
/// </summary>
public static class BuildInputs
{
    /// <summary>Folders that are never inputs of a .NET build (its own outputs).</summary>
    private static readonly string[] DotNetOutputs = ["bin/", "obj/"];

    public static IReadOnlyList<string> Files(string context, bool dotNet)
    {
        var rules = IgnoreRules(context);
        return [.. Directory.EnumerateFiles(context, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(context, f).Replace('\\', '/'))
            .Where(f => !(dotNet && DotNetOutputs.Any(o => f.StartsWith(o, StringComparison.Ordinal) || f.Contains("/" + o, StringComparison.Ordinal))))
            .Where(f => !Ignored(f, rules))
            .Order(StringComparer.Ordinal)];
    }

    public static string Digest(string context, bool dotNet, string? dockerfile, IReadOnlyDictionary<string, string> buildArgs, string builder, string? baseImage)
    {
        ArgumentNullException.ThrowIfNull(buildArgs);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add($"builder={builder}");
        Add($"base={baseImage}");
        foreach (var (key, value) in buildArgs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Add($"arg {key}={value}");
        }

        if (dockerfile is not null && File.Exists(dockerfile))
        {
            Add("dockerfile");
            hash.AppendData(File.ReadAllBytes(dockerfile));
        }

        foreach (string file in Files(context, dotNet))
        {
            Add(file);
            using var stream = File.OpenRead(Path.Combine(context, file));
            hash.AppendData(SHA256.HashData(stream));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // .dockerignore: one pattern a line, '#' comments, '!' re-includes; the last matching line decides; a pattern
    // that matches a folder matches everything in it.
    private static List<(Regex Pattern, bool Include)> IgnoreRules(string context)
    {
        string file = Path.Combine(context, ".dockerignore");
        if (!File.Exists(file))
        {
            return [];
        }

        return [.. File.ReadAllLines(file).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (Include: l.StartsWith('!'), Pattern: l.TrimStart('!').Trim().TrimStart('/').TrimEnd('/')))
            .Where(r => r.Pattern.Length > 0)
            .Select(r => (new Regex("^" + Glob.ToRegex(r.Pattern) + "(/.*)?$", RegexOptions.None, TimeSpan.FromSeconds(1)), r.Include))];
    }

    private static bool Ignored(string path, List<(Regex Pattern, bool Include)> rules)
    {
        bool ignored = false;
        foreach (var (pattern, include) in rules)
        {
            if (pattern.IsMatch(path))
            {
                ignored = !include;
            }
        }

        return ignored;
    }
}
