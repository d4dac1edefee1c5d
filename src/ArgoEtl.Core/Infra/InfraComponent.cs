using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra;

/// <summary>
/// One part of a platform: the Kubernetes objects it applies, the steps outside Kubernetes it needs first (AWS), the
/// step after its objects are applied (a bucket, a helm release), how healthy it is, what it removes outside
/// Kubernetes on uninstall, and the Secrets it provides to projects. A platform (Local, Eks) is a list of components.
/// </summary>
public abstract class InfraComponent
{
    /// <summary>The name results and status report (ArgoEvents, OidcProvider ...).</summary>
    public abstract string Name { get; }

    /// <summary>Secret name → keys this component provides, so projects may reference them without creating them.</summary>
    public virtual IReadOnlyDictionary<string, IReadOnlyList<string>> ProvidedSecrets { get; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The Kubernetes objects (none for a component that lives only in AWS).</summary>
    public virtual Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<KubeObject>>([]);

    /// <summary>Steps before the objects are applied, only for what is missing (read-only calls plan them; a second run plans none).</summary>
    public virtual Task<IReadOnlyList<InfraStep>> PlanInstallAsync(InfraContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InfraStep>>([]);

    /// <summary>Steps after every component's objects are applied (the artifact bucket, a helm release).</summary>
    public virtual Task<IReadOnlyList<InfraStep>> PlanPostApplyAsync(InfraContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InfraStep>>([]);

    /// <summary>Steps outside Kubernetes that uninstall takes: only what this component created, never what others still use.</summary>
    public virtual Task<IReadOnlyList<InfraStep>> PlanRemovalAsync(InfraContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<InfraStep>>([]);

    /// <summary>Problems outside Kubernetes (a missing role, a detached policy); null when this component has nothing there.</summary>
    public virtual Task<IReadOnlyList<string>?> ExternalProblemsAsync(InfraContext context, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>?>(null);
}
