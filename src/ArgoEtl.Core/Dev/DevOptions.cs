namespace ArgoEtl.Core.Dev;

/// <summary>How a dev loop ends.</summary>
public sealed record DevOptions
{
    /// <summary>Delete what the loop deployed when it ends (Skaffold dev's behaviour; off keeps it running).</summary>
    public bool Cleanup { get; init; } = true;
}
