namespace ArgoEtl.Core.Runs;

/// <summary>Argo's node and workflow phases, as the workflow controller names them.</summary>
public enum EtlRunPhase
{
    Pending,
    Running,
    Succeeded,
    Failed,
    Error,
    Skipped,
    Omitted,
}

/// <summary>
/// One Workflow run, whichever target ran it (the local runner today, the Kubernetes target later): scripts and Pester
/// tests read the same object from both.
/// </summary>
public sealed class EtlWorkflowRun
{
    /// <summary>The Workflow's name (generateName resolved).</summary>
    public required string Name { get; init; }

    /// <summary>Where the Workflow came from: the Sensor trigger ("Sensor/minio-json trigger csv-to-json") or the manifest.</summary>
    public required string Workflow { get; init; }

    /// <summary>"Local" or "Kubernetes".</summary>
    public required string Target { get; init; }

    public EtlRunPhase Phase { get; set; } = EtlRunPhase.Pending;

    /// <summary>Why it failed, naming the node; null when it succeeded.</summary>
    public string? Message { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public List<EtlWorkflowNode> Nodes { get; } = [];

    /// <summary>The run's folder (local target: runs/&lt;workflow&gt;/), null elsewhere.</summary>
    public string? RunDirectory { get; init; }

    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;

    public override string ToString() => $"{Name}: {Phase}{(Message is null ? string.Empty : " (" + Message + ")")}";
}

/// <summary>One node of a run: a container/script step, or a steps/dag group.</summary>
public sealed class EtlWorkflowNode
{
    /// <summary>Argo's node name: "wf.step", "wf[0].step", "wf.task(0:item)".</summary>
    public required string Name { get; init; }

    public required string Template { get; init; }

    /// <summary>Pod, Steps, DAG, Suspend, Retry, Skipped.</summary>
    public required string Type { get; init; }

    public EtlRunPhase Phase { get; set; } = EtlRunPhase.Pending;

    public int? ExitCode { get; set; }

    public string? Message { get; set; }

    /// <summary>Output parameters by name.</summary>
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary>Output artifacts by name → where they were stored (s3://bucket/key or a path).</summary>
    public Dictionary<string, string> Artifacts { get; } = new(StringComparer.Ordinal);

    /// <summary>The node's log file (stdout and stderr as written); null for group nodes.</summary>
    public string? LogPath { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public override string ToString() => $"{Name}: {Phase}";
}
