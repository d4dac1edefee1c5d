using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>Container paths ↔ host paths through a step's mounts.</summary>
public static class StepPaths
{
    /// <summary>The host path of <paramref name="containerPath"/> under the longest mount that holds it, or null.</summary>
    public static string? HostPathOf(IEnumerable<StepMount> mounts, string containerPath)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(containerPath);
        foreach (var mount in mounts.OrderByDescending(m => m.ContainerPath.Length))
        {
            string root = mount.ContainerPath.TrimEnd('/');
            if (containerPath == root || containerPath == mount.ContainerPath)
            {
                return mount.HostPath;
            }

            if (containerPath.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return Path.Combine(mount.HostPath, containerPath[(root.Length + 1)..]);
            }
        }

        return null;
    }

    /// <summary>
    /// Rewrites every mounted container path in <paramref name="text"/> to its host path — for a host process, which
    /// sees the host's file system: "/tmp/out.txt" with /tmp mounted from runs/wf/node/fs/tmp becomes that folder's
    /// out.txt. A path counts only where it starts a path (not inside "/data/tmp/x") and ends at '/' or a non-path
    /// character, so "/tmpfoo" is left alone. Longest mount first, so a nested mount wins.
    /// </summary>
    public static string ToHost(IReadOnlyList<StepMount> mounts, string text)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        if (mounts.Count == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var ordered = mounts.Where(m => m.ContainerPath.TrimEnd('/').Length > 0).OrderByDescending(m => m.ContainerPath.TrimEnd('/').Length).ToList();
        string pattern = @"(?<![\w./-])(" + string.Join("|", ordered.Select(m => Regex.Escape(m.ContainerPath.TrimEnd('/')))) + @")(?=/|$|[^\w.-])";
        return Regex.Replace(text, pattern, match =>
        {
            var mount = ordered.First(m => m.ContainerPath.TrimEnd('/') == match.Value);
            return mount.HostPath.TrimEnd(Path.DirectorySeparatorChar);
        }, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
