using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>What a local Workflow run needs from the target around it.</summary>
public sealed record LocalWorkflowContext
{
    /// <summary>The runs folder (&lt;state&gt;/runs): each run gets &lt;RunsDirectory&gt;/&lt;workflow-name&gt;/ with a folder per node.</summary>
    public required string RunsDirectory { get; init; }

    /// <summary>Runs each container and script step.</summary>
    public required IStepRunner StepRunner { get; init; }

    /// <summary>WorkflowTemplates by name, for spec.workflowTemplateRef and templateRef.</summary>
    public IReadOnlyDictionary<string, ManifestDocument> WorkflowTemplates { get; init; } = new Dictionary<string, ManifestDocument>(StringComparer.Ordinal);

    /// <summary>Where output artifacts go and where input s3 artifacts without an endpoint come from; null: a Workflow with artifacts stops before it starts.</summary>
    public S3ArtifactRepository? ArtifactRepository { get; init; }

    /// <summary>secretKeyRef/configMapKeyRef/envFrom; null: any such reference stops the run before it starts.</summary>
    public IClusterValueResolver? Values { get; init; }

    /// <summary>Maps in-cluster addresses ("minio:9000", "http://minio.argo.svc:9000") to local endpoints, in env values, args, script sources and artifact URLs.</summary>
    public Func<string, string>? AddressRewriter { get; init; }

    /// <summary>Each log line of each step as it is written: (node name, line).</summary>
    public Action<string, string>? LogSink { get; init; }

    /// <summary>{{workflow.namespace}} when the Workflow names none.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>For retry backoff and suspend: waits (tests may shorten nothing; real time is used).</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;
}
