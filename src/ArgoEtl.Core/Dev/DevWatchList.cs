namespace ArgoEtl.Core.Dev;

/// <summary>
/// What each concern of a dev loop depends on, as full paths (a file, a folder for everything under it, or a pattern
/// with '*', '**' or '?' so files created later count): the config files (a change reloads), each artifact's inputs (a
/// change rebuilds it), and the manifests plus the deployer's own files (a change redeploys).
/// </summary>
public sealed record DevWatchList(string ProjectDirectory, IReadOnlyList<string> ConfigFiles,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Artifacts, IReadOnlyList<string> Deploy)
{
    /// <summary>Sorts changed files into what they ask for; a file nobody depends on asks for nothing.</summary>
    public ChangeSet Classify(IReadOnlyCollection<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var full = files.Select(Path.GetFullPath).ToList();
        return new ChangeSet
        {
            Files = full,
            ReloadConfig = full.Any(f => ConfigFiles.Any(c => DependencyPath.Matches(c, f))),
            Rebuild = Artifacts.Where(a => full.Any(f => a.Value.Any(d => DependencyPath.Matches(d, f)))).Select(a => a.Key).ToHashSet(StringComparer.Ordinal),
            Redeploy = full.Any(f => Deploy.Any(d => DependencyPath.Matches(d, f))),
        };
    }

    /// <summary>The folders a file watcher must cover: the project and each dependency's folder (a pattern's fixed prefix), none inside another.</summary>
    public IReadOnlyList<string> Roots()
    {
        var roots = ConfigFiles.Concat(Artifacts.Values.SelectMany(v => v)).Concat(Deploy)
            .Select(DependencyPath.Folder)
            .Append(Path.GetFullPath(ProjectDirectory))
            .Where(Directory.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return [.. roots.Where(r => !roots.Any(o => o != r && DependencyPath.IsUnder(r, o))).Order(StringComparer.Ordinal)];
    }
}
