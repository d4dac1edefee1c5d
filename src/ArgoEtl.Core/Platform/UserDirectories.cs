namespace ArgoEtl.Core.Platform;

/// <summary>
/// Where ArgoEtl keeps per-user state (buildah storage, caches). Never relative to the current directory: .NET returns
/// an empty LocalApplicationData when XDG_DATA_HOME names a folder that does not exist yet, and a path combined with
/// that empty string once put buildah's storage into whatever folder the session was in (the repository root).
/// </summary>
public static class UserDirectories
{
    /// <summary>ARGOETL_DATA_HOME, else the user's local application data folder (created if missing), plus 'argoetl'.</summary>
    public static string DataDirectory(params string[] parts)
    {
        string root = Root();
        return Path.Combine([root, .. parts]);
    }

    private static string Root()
    {
        if (Environment.GetEnvironmentVariable("ARGOETL_DATA_HOME") is { Length: > 0 } given)
        {
            if (!Path.IsPathRooted(given))
            {
                throw new EtlException(EtlErrors.DataDirectoryNotAbsolute, $"ARGOETL_DATA_HOME is '{given}', which is not an absolute path.",
                    "Set ARGOETL_DATA_HOME to an absolute folder, or unset it to use the user's local data folder.", given);
            }

            return given;
        }

        string local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        if (local.Length > 0 && Path.IsPathRooted(local))
        {
            return Path.Combine(local, "argoetl");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0 && Path.IsPathRooted(home))
        {
            return Path.Combine(home, ".local", "share", "argoetl");
        }

        throw new EtlException(EtlErrors.DataDirectoryMissing, "No folder for ArgoEtl's state was found: neither a local application data folder nor a home folder exists.",
            "Set ARGOETL_DATA_HOME (or XDG_DATA_HOME) to an absolute, writable folder.");
    }
}
