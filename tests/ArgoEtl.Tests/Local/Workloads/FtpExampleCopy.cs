using System.Globalization;

namespace ArgoEtl.Tests.Local.Workloads;

/// <summary>
/// examples/ftp copied to a temporary folder, as a user adapts it to their own FTP server: host/ftp-server.yaml names
/// the test's vsftpd, the build contexts point at this repository's sources, and the EventSource polls every second
/// and waits 2 s for stability (10 s each in the example) so the test stays short. Nothing else changes.
/// </summary>
internal sealed class FtpExampleCopy : IDisposable
{
    public FtpExampleCopy(int ftpPort)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("argoetl-ftp-example-").FullName;
        string source = Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", "ftp");
        foreach (string file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.argoetl{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string target = Path.Combine(Directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        string src = Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "src") + "/";
        Edit("skaffold.yaml", "../../src/", src, expected: 2);
        Edit("k8s/eventsource.yaml", "pollInterval: 10s", "pollInterval: 1s", expected: 1);
        Edit("k8s/eventsource.yaml", "stableFor: 10s", "stableFor: 2s", expected: 1);
        Edit("host/ftp-server.yaml", "port: 2121", "port: " + ftpPort.ToString(CultureInfo.InvariantCulture), expected: 1);
        StateDirectory = Path.Combine(Directory, ".argoetl", "local");
    }

    public string Directory { get; }

    public string StateDirectory { get; }

    /// <summary>The Secret 'ftp' as the local target takes it: a file per key under secrets/ftp/.</summary>
    public void WriteFtpSecret(string user, string password)
    {
        string folder = Path.Combine(StateDirectory, "secrets", "ftp");
        System.IO.Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "ARGOETL_FTP_USER"), user);
        File.WriteAllText(Path.Combine(folder, "ARGOETL_FTP_PASSWORD"), password);
    }

    /// <summary>
    /// Builds go to a folder shared by test runs (outputs are keyed by their inputs' digest, so a stale one is never
    /// reused): publishing two .NET projects per run would dominate the test.
    /// </summary>
    public void ShareBuilds()
    {
        string shared = Path.Combine(Path.GetTempPath(), "argoetl-test-local-builds");
        System.IO.Directory.CreateDirectory(shared);
        System.IO.Directory.CreateDirectory(StateDirectory);
        System.IO.Directory.CreateSymbolicLink(Path.Combine(StateDirectory, "build"), shared);
    }

    public void Dispose()
    {
        try
        {
            string build = Path.Combine(StateDirectory, "build");
            if (System.IO.Directory.Exists(build) && new DirectoryInfo(build).LinkTarget is not null)
            {
                System.IO.Directory.Delete(build);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Edit(string relative, string from, string to, int expected)
    {
        string path = Path.Combine(Directory, relative);
        string text = File.ReadAllText(path);
        int count = (text.Length - text.Replace(from, string.Empty, StringComparison.Ordinal).Length) / from.Length;
        if (count != expected)
        {
            throw new InvalidOperationException($"examples/ftp/{relative} has '{from}' {count} times, not {expected}: the test's copy is out of step with the example.");
        }

        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }
}
