using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Etl.Transform;

/// <summary>
/// The hidden files a run converts into before publishing. Their names carry the owning process id
/// (<c>.argoetl-&lt;pid&gt;-&lt;guid&gt;.tmp</c>), so a later run can tell a file left by a killed process (its pid is
/// gone: removed) from one a live run is still writing (left alone). Files of this process are also removed when it
/// exits on SIGTERM, which .NET turns into ProcessExit (pwsh included), where no finally block runs.
/// </summary>
internal static class TempFiles
{
    private const string Prefix = ".argoetl-";
    private static readonly ConcurrentDictionary<string, byte> Live = new(StringComparer.Ordinal);
    private static readonly int OwnPid = Environment.ProcessId;

    static TempFiles() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>A new temp path in <paramref name="directory"/>, registered for removal at exit.</summary>
    public static string Create(string directory)
    {
        string path = Path.Combine(directory, $"{Prefix}{OwnPid.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.tmp");
        Live[path] = 0;
        Live[path + ".rejects"] = 0;
        return path;
    }

    public static void Delete(string path)
    {
        TryDelete(path);
        Live.TryRemove(path, out _);
    }

    /// <summary>Removes temp files in <paramref name="directory"/> whose owning process is no longer running.</summary>
    public static int RemoveStale(string directory)
    {
        int removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFiles(directory, Prefix + "*.tmp*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        foreach (string file in candidates)
        {
            if (OwnerPid(Path.GetFileName(file)) is int pid && pid != OwnPid && !IsRunning(pid) && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    internal static int? OwnerPid(string fileName)
    {
        if (!fileName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        int dash = fileName.IndexOf('-', Prefix.Length);
        return dash > Prefix.Length && int.TryParse(fileName.AsSpan(Prefix.Length, dash - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            ? pid
            : null;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void DeleteAll()
    {
        foreach (string path in Live.Keys)
        {
            TryDelete(path);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp file we could not delete is harmless (dot-named, pid-tagged): the next run in this folder removes it.
            return false;
        }
    }
}
