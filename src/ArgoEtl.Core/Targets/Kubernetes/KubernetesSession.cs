using System.Collections.Immutable;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// What a dev session has deployed, as the log tailer and the workflow watcher need it: its project label, the
/// namespaces its objects live in, and its EventSources, Sensors and Workflows by namespace/name. Replaced as a whole
/// after each deploy, so readers on other threads see one consistent set.
/// </summary>
public sealed record KubernetesSession(string Project, string DefaultNamespace)
{
    public ImmutableHashSet<string> Namespaces { get; init; } = [];

    /// <summary>"namespace/name" of each EventSource.</summary>
    public ImmutableHashSet<string> EventSources { get; init; } = [];

    /// <summary>"namespace/name" of each Sensor.</summary>
    public ImmutableHashSet<string> Sensors { get; init; } = [];

    /// <summary>"namespace/name" of each Workflow applied from the manifests.</summary>
    public ImmutableHashSet<string> Workflows { get; init; } = [];

    public KubernetesSession With(IEnumerable<AppliedObject> deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var live = deployed.Where(d => !d.Action.StartsWith("deleted", StringComparison.Ordinal)).ToList();
        ImmutableHashSet<string> Of(string kind) => [.. live.Where(d => d.Kind == kind && d.ApiVersion?.StartsWith("argoproj.io/", StringComparison.Ordinal) == true).Select(d => $"{d.Namespace}/{d.Name}")];
        return this with
        {
            Namespaces = [DefaultNamespace, .. live.Select(d => d.Namespace).OfType<string>()],
            EventSources = Of("EventSource"),
            Sensors = Of("Sensor"),
            Workflows = Of("Workflow"),
        };
    }

    /// <summary>Whether a Workflow belongs to the session: applied by it, labelled with its project, or created by one of its Sensors.</summary>
    public bool Owns(string ns, string workflow, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return Workflows.Contains($"{ns}/{workflow}")
            || (labels.TryGetValue(ApplyEngine.ProjectLabel, out string? project) && project == Project)
            || (labels.TryGetValue(WorkflowLabels.Sensor, out string? sensor) && Sensors.Contains($"{ns}/{sensor}"));
    }
}
