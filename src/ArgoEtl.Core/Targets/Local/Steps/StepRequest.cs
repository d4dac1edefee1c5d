namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>
/// One step to run, in container terms: the runner decides how the image, paths and env reach a host process or a
/// container. Paths in <see cref="Command"/>, <see cref="Args"/>, <see cref="Environment"/> and <see cref="WorkingDirectory"/>
/// are the container's; <see cref="Mounts"/> say where each lives on the host.
/// </summary>
public sealed record StepRequest
{
    /// <summary>Argo's node name ("wf[0].convert"), for messages and the log sink.</summary>
    public required string NodeName { get; init; }

    public required string Image { get; init; }

    /// <summary>The container's command; empty means the image's entrypoint.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The container's working directory; null means the image's default (a host process gets its node folder's work/).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The node's own folder on the host (runs/&lt;workflow&gt;/&lt;node&gt;/).</summary>
    public required string NodeDirectory { get; init; }

    public IReadOnlyList<StepMount> Mounts { get; init; } = [];

    /// <summary>Files written before the step starts (a script's source).</summary>
    public IReadOnlyList<StepFile> Files { get; init; } = [];

    /// <summary>Where stdout and stderr are written, line by line, as they come.</summary>
    public required string LogPath { get; init; }

    /// <summary>How long the step may run; past it the process tree (or container) is killed and <see cref="StepResult.DeadlineExceeded"/> set.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>Called with each log line as it is written (stdout and stderr).</summary>
    public Action<string>? OnLine { get; init; }

    /// <summary>The host folder holding <paramref name="containerPath"/> under the longest matching mount, or null.</summary>
    public string? HostPathOf(string containerPath) => StepPaths.HostPathOf(Mounts, containerPath);
}
