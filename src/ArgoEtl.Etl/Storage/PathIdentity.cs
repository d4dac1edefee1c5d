namespace ArgoEtl.Etl.Storage;

/// <summary>
/// The real path of a local file, every symbolic link on the way resolved, so that "the output is the input" is found
/// however the two paths are written (a link to the input, a link to its folder, ./ and ../ parts).
/// </summary>
internal static class PathIdentity
{
    private const int MaxLinks = 40;

    public static bool Same(string a, string b) =>
        string.Equals(Resolve(a), Resolve(b), OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    public static string Resolve(string path)
    {
        int links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        string? parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return full;
        }

        string candidate = Path.Combine(Resolve(parent, ref links), Path.GetFileName(full));
        string? target;
        try
        {
            target = new FileInfo(candidate).LinkTarget;
        }
        catch (IOException)
        {
            return candidate;
        }
        catch (UnauthorizedAccessException)
        {
            return candidate;
        }

        // A link loop cannot be a file we would overwrite; stop following and compare what we have.
        if (target is null || ++links > MaxLinks)
        {
            return candidate;
        }

        return Resolve(Path.GetFullPath(target, Path.GetDirectoryName(candidate)!), ref links);
    }
}
