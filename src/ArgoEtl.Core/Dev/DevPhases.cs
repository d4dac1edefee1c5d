using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// The seams of a dev loop, one per phase. The target decides the deployer: <see cref="Deployer"/> makes one for a
/// profile (again after a config reload), so Start-EtlDev picks the Kubernetes or the local target by choosing it.
/// </summary>
public sealed record DevPhases
{
    public required IArtifactBuilder Builder { get; init; }

    public required IManifestRenderer Renderer { get; init; }

    /// <summary>Makes the deployer for a profile.</summary>
    public required Func<EtlProfile, IDeployer> Deployer { get; init; }

    public required IHookRunner Hooks { get; init; }

    public required IChangeFeed Changes { get; init; }

    /// <summary>Loads the profile again after its skaffold.yaml changed (<see cref="ProfileReloader.Reload"/>); null: a config change is reported and ignored.</summary>
    public Func<EtlProfile, EtlProfile>? ReloadProfile { get; init; }
}
