namespace ArgoEtl.Tests.Projects;

/// <summary>A throwaway project folder: files are written relative to it, and it is deleted afterwards.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject(params (string Path, string Text)[] files)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "argoetl-project-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var (path, text) in files)
        {
            Write(path, text);
        }
    }

    public string Directory { get; }

    public void Write(string path, string text)
    {
        string full = System.IO.Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ReplaceLineEndings("\n"));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
