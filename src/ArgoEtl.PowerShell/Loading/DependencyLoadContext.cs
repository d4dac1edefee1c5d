using System.Reflection;
using System.Runtime.Loader;

namespace ArgoEtl.PowerShell.Loading;

/// <summary>
/// ArgoEtl's own AssemblyLoadContext. It loads our core assemblies and their dependencies (YamlDotNet, AWSSDK,
/// KubernetesClient, Parquet.Net, ...) from the module's bin/ folder, so they never meet the versions another module
/// already loaded into PowerShell's default context. Framework assemblies fall through to the default context.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public DependencyLoadContext(string directory)
        : base("ArgoEtl", isCollectible: false) => _directory = directory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
