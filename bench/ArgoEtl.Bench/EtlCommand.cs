using System.Diagnostics;

namespace ArgoEtl.Bench;

/// <summary>How to start argoetl-etl: a framework-dependent ArgoEtl.Etl.dll (through dotnet) or a native program.</summary>
internal sealed record EtlCommand(string FileName, IReadOnlyList<string> Arguments, string Description, string PublishedFolder)
{
    public static EtlCommand For(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"argoetl-etl not found at {full}", full);
        }

        string folder = Path.GetDirectoryName(full)!;
        if (full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            // Its folder here is the bench's, with DuckDB in it: no image size to read off it.
            return new EtlCommand(dotnet, [full], $"JIT (dotnet {Path.GetFileName(full)})", string.Empty);
        }

        return new EtlCommand(full, [], $"native program {Path.GetFileName(full)} ({Megabytes(new FileInfo(full).Length)} MB)", folder);
    }

    /// <summary>
    /// Publishes src/ArgoEtl.Etl with NativeAOT (needs clang and zlib1g-dev) into <paramref name="folder"/>, the same
    /// build the container gets with -p:PublishAot=true.
    /// </summary>
    public static EtlCommand PublishAot(string folder)
    {
        string project = Path.Combine(RepositoryRoot(), "src", "ArgoEtl.Etl");
        Console.Error.WriteLine($"publishing {project} with NativeAOT into {folder}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { "publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", folder, "-clp:ErrorsOnly" },
        };
        using var process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish -p:PublishAot=true exited {process.ExitCode} (NativeAOT needs clang and zlib1g-dev).");
        }

        var command = For(Path.Combine(folder, "ArgoEtl.Etl"));
        return command with { Description = $"NativeAOT ({Megabytes(new FileInfo(command.FileName).Length)} MB program)" };
    }

    /// <summary>Bytes of everything in the published folder, as it would be copied into an image.</summary>
    public long? FolderBytes() => PublishedFolder.Length == 0 ? null
        : new DirectoryInfo(PublishedFolder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    public static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, "src", "ArgoEtl.Etl")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Run the bench from inside the repository (src/ArgoEtl.Etl not found above it).");
    }
}
