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
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string candidate = Path.Combine(_directory, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
