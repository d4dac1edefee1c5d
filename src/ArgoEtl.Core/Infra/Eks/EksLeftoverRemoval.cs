namespace ArgoEtl.Core.Infra.Eks;

/// <summary>What <see cref="EksLeftovers.RemoveAsync"/> did with one leftover.</summary>
public enum EksLeftoverRemoval
{
    /// <summary>Deleted now.</summary>
    Removed,

    /// <summary>Already gone (AWS answered not found).</summary>
    AlreadyGone,

    /// <summary>A network interface something still uses: left alone.</summary>
    InUse,
}
