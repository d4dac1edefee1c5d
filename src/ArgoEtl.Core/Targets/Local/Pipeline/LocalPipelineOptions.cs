using ArgoEtl.Core.Targets.Local.Build;

namespace ArgoEtl.Core.Targets.Local.Pipeline;

/// <summary>How a local pipeline runs: its state folder, the images the build made, and where its messages go.</summary>
public sealed record LocalPipelineOptions
{
    /// <summary>The one folder all state lives in: buckets/ (the store), secrets/, runs/&lt;workflow&gt;/, objects/.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Built images by the reference the manifests carry (LocalArtifactBuilder.Built).</summary>
    public IReadOnlyDictionary<string, LocalImage> Images { get; init; } = new Dictionary<string, LocalImage>(StringComparer.Ordinal);

    /// <summary>
    /// Start the EventSources (webhook servers, generic clients, folder watches) and let objects put into the store
    /// fire minio events: the dev loop. Off, events come only through Inject/PutFile (Invoke-EtlPipeline).
    /// </summary>
    public bool StartEventSources { get; init; }

    /// <summary>A step's log line as it is written: node name, line.</summary>
    public Action<string, string>? StepLog { get; init; }

    /// <summary>What happens that is not an error: an event that matched nothing, a trigger that did not fire, a log trigger.</summary>
    public Action<string>? Verbose { get; init; }

    /// <summary>A trigger that failed (an unresolvable parameter, a bad resource): reported, the pipeline goes on.</summary>
    public Action<EtlException>? TriggerFailed { get; init; }

    /// <summary>The store's port; 0 picks a free loopback port.</summary>
    public int ObjectStorePort { get; init; }
}
