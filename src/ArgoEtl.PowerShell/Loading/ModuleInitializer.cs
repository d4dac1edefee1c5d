using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace ArgoEtl.PowerShell.Loading;

/// <summary>
/// Runs on Import-Module. The cmdlet assembly references ArgoEtl.* assemblies by name; when PowerShell's default
/// context cannot find them (they are deliberately not beside this DLL) it asks its Resolving event, and we answer
/// from <see cref="DependencyLoadContext"/>. Only ArgoEtl.* names are answered: third-party names are resolved inside
/// our context by its own Load, never in the default one.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string BinDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "bin");

    private static readonly Lazy<DependencyLoadContext> Context = new(() => new DependencyLoadContext(BinDirectory));

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveOwnAssembly;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveOwnAssembly;

    private static Assembly? ResolveOwnAssembly(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (name.Name is null || !name.Name.StartsWith("ArgoEtl.", StringComparison.Ordinal)
            || !File.Exists(Path.Combine(BinDirectory, name.Name + ".dll")))
        {
            return null;
        }

        return Context.Value.LoadFromAssemblyName(name);
    }
}
