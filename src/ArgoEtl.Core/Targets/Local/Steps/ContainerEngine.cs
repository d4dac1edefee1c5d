namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>What runs container steps: docker or podman (a daemon or podman's own runtime), or buildah (no daemon: buildah from + run --isolation chroot).</summary>
public enum ContainerEngine
{
    Buildah,
    Docker,
    Podman,
}
