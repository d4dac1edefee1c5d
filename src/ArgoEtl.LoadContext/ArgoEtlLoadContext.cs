using System.Reflection;
using System.Runtime.Loader;

namespace ArgoEtl.LoadContext;

/// <summary>
/// ArgoEtl's own AssemblyLoadContext. The cmdlet assembly and its dependencies (YamlDotNet, AWSSDK, KubernetesClient,
/// Parquet.Net, ...) load here from the module's bin/ folder, so they never meet the versions another module already
/// loaded into PowerShell's default context, and other modules never see ours. Assemblies not in bin/ (the framework,
/// System.Management.Automation) fall through to the default context, which is how PowerShell and the cmdlets share types.
/// </summary>
public sealed class ArgoEtlLoadContext : AssemblyLoadContext
{
    private static readonly object Gate = new();
    private static ArgoEtlLoadContext? _instance;
    private readonly string _directory;

    private ArgoEtlLoadContext(string directory)
        : base("ArgoEtl", isCollectible: false) => _directory = directory;

    /// <summary>Loads the cmdlet assembly into the ArgoEtl context (once per process) and returns it for Import-Module -Assembly.</summary>
    public static Assembly Initialize()
    {
        lock (Gate)
        {
            _instance ??= new ArgoEtlLoadContext(Path.Combine(Path.GetDirectoryName(typeof(ArgoEtlLoadContext).Assembly.Location)!, "bin"));
            return _instance.LoadFromAssemblyName(new AssemblyName("ArgoEtl.PowerShell"));
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        if (File.Exists(candidate))
        {
            return LoadFromAssemblyPath(candidate);
        }

        // ASP.NET Core (Kestrel, behind the local target's object store) is a shared framework that pwsh does not load:
        // its assemblies are not on pwsh's trusted list, so they come from the installed framework, into this context.
        string? shared = AspNetCoreDirectory.Value is { } dir ? Path.Combine(dir, assemblyName.Name + ".dll") : null;
        return shared is not null && File.Exists(shared) ? LoadFromAssemblyPath(shared) : null;
    }

    /// <summary>The installed Microsoft.AspNetCore.App beside the running runtime, of the same major version (the newest such).</summary>
    private static readonly Lazy<string?> AspNetCoreDirectory = new(() =>
    {
        string runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        string? sharedRoot = Path.GetDirectoryName(Path.GetDirectoryName(runtime));
        string aspnet = sharedRoot is null ? string.Empty : Path.Combine(sharedRoot, "Microsoft.AspNetCore.App");
        if (!Directory.Exists(aspnet))
        {
            return null;
        }

        return Directory.EnumerateDirectories(aspnet)
            .Select(d => (Path: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(d => d.Version is not null && d.Version.Major == Environment.Version.Major)
            .OrderByDescending(d => d.Version)
            .Select(d => d.Path)
            .FirstOrDefault();
    });

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
