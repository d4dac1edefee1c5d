namespace ArgoEtl.Core.Dev;

/// <summary>How a dev loop runs and ends.</summary>
public sealed record DevOptions
{
    /// <summary>Delete what the loop deployed when it ends (Skaffold dev's behaviour; off keeps it running).</summary>
    public bool Cleanup { get; init; } = true;

    /// <summary>
    /// One cycle only ('skaffold run'): build, render, deploy, status check, then return, leaving what was deployed
    /// running (no cleanup, no cleanup hooks, no logs or forwards); Remove-EtlDeployment removes it later.
    /// </summary>
    public bool Once { get; init; }

    /// <summary>Tail the deployed workloads' logs (the target's log tailer); off with -NoLogs. Workflow runs are reported either way.</summary>
    public bool TailLogs { get; init; } = true;

    /// <summary>
    /// Images built elsewhere, by artifact name: used as they are and never built by the loop (their sources are not
    /// watched for rebuilds), as 'skaffold deploy --images'. Manifest changes still redeploy with them.
    /// </summary>
    public IReadOnlyDictionary<string, Images.EtlImage> Prebuilt { get; init; } = new Dictionary<string, Images.EtlImage>();
}
