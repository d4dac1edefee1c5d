namespace ArgoEtl.Etl.Storage;

/// <summary>Local files. Publishing is a rename, so readers never see a half-written output.</summary>
public sealed class LocalFileStore : IObjectStore
{
    public Task<(Stream Content, long? Length)> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (Directory.Exists(location.Path))
        {
            throw new EtlException(EtlErrors.InputIsDirectory, $"Input '{location.Path}' is a directory, not a CSV file.",
                "Name the CSV files in it (with -Path, a wildcard such as dir/*.csv), not the folder.", location.Path);
        }

        if (!File.Exists(location.Path))
        {
            throw new EtlException(EtlErrors.InputNotFound, $"Input file '{location.Path}' does not exist.",
                "Check the path (relative paths are resolved from the current directory).", location.Path);
        }

        try
        {
            Stream stream = new FileStream(location.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return Task.FromResult<(Stream, long?)>((stream, stream.CanSeek ? stream.Length : null));
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EtlException(EtlErrors.InputAccessDenied, $"Input file '{location.Path}' cannot be read: permission denied.",
                "Fix the file's permissions or run as a user that can read it.", location.Path, ex);
        }
        catch (IOException ex)
        {
            throw new EtlException(EtlErrors.InputReadFailed, $"Input file '{location.Path}' cannot be opened: {ex.Message}",
                "Check the file and its file system.", location.Path, ex);
        }
    }

    public Task PublishAsync(string localFile, ObjectLocation destination, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        string? dir = Path.GetDirectoryName(destination.Path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        // Same directory temp files make this a rename; across file systems File.Move copies, still before the old file is replaced.
        File.Move(localFile, destination.Path, overwrite: true);
        return Task.CompletedTask;
    }
}
