namespace ArgoEtl.Etl.Transform;

/// <summary>
/// Folders a run created for its outputs, so that a failed run can remove them again (deepest first, and only while
/// empty): a failure leaves the destination as it found it.
/// </summary>
internal sealed class CreatedDirectories
{
    private readonly List<string> _created = [];

    public void Ensure(string directory)
    {
        var missing = new List<string>();
        for (string? d = Path.GetFullPath(directory); d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            missing.Add(d);
        }

        Directory.CreateDirectory(directory);
        _created.AddRange(missing);
    }

    public void RemoveEmpty()
    {
        foreach (string d in _created.Distinct().OrderByDescending(d => d.Length))
        {
            try
            {
                if (Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any())
                {
                    Directory.Delete(d);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: an empty folder left behind changes no data.
            }
        }
    }
}
