using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Runs;
using ArgoEtl.Etl.Storage;
using k8s;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// Watches the session's Workflows (applied by it, or created by its Sensors) and reports each phase change as an
/// <see cref="EtlWorkflowRun"/> — the object the local target returns — with its nodes; a failed run's message names
/// the node that failed and what it said.
/// </summary>
public sealed class WorkflowRunWatcher(KubeClient client, Func<KubernetesSession> session) : IWorkflowRunWatcher
{
    private readonly ConcurrentDictionary<string, EtlRunPhase> _phases = new(StringComparer.Ordinal);
    private readonly SessionWatches _watches = new();

    public Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(session);
        _watches.Start(progress, cancellationToken);
        WatchNewNamespaces();
        return Task.CompletedTask;
    }

    /// <summary>Watches the namespaces the session has deployed to since the start (or the last call); nothing before <see cref="StartAsync"/>.</summary>
    internal void WatchNewNamespaces() =>
        _watches.WatchNamespaces(session().Namespaces, (ns, progress, token) => KubeWatcher.RunAsync<object>(
            (version, ct) => client.Api.CustomObjects.WatchListNamespacedCustomObjectAsync("argoproj.io", "v1alpha1", ns, "workflows", resourceVersion: version, timeoutSeconds: 300, cancellationToken: ct),
            item => item is JsonElement { ValueKind: JsonValueKind.Object } element && element.TryGetProperty("metadata", out var m) && m.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null,
            (type, item) =>
            {
                if (type != WatchEventType.Deleted && item is JsonElement element && JsonNode.Parse(element.GetRawText()) is JsonObject workflow && ToRun(workflow, session()) is { } run)
                {
                    string key = $"{ns}/{run.Name}";
                    if (!_phases.TryGetValue(key, out var seen) || seen != run.Phase)
                    {
                        _phases[key] = run.Phase;
                        progress.Report(new DevEvent("run", run.ToString(), run));
                    }
                }

                return Task.CompletedTask;
            },
            ex => progress.Report(new DevEvent("status", $"Watching Workflows in namespace {ns} failed: {UrlRedaction.Redact(ex.Message)}")),
            token));

    public Task StopAsync() => _watches.StopAsync();

    /// <summary>The run a Workflow object describes, or null when it is not the session's.</summary>
    public static EtlWorkflowRun? ToRun(JsonObject workflow, KubernetesSession session)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(session);
        var metadata = workflow["metadata"] as JsonObject ?? [];
        string name = metadata["name"]?.GetValue<string>() ?? string.Empty;
        string ns = metadata["namespace"]?.GetValue<string>() ?? session.DefaultNamespace;
        var labels = (metadata["labels"] as JsonObject ?? []).Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);
        if (!session.Owns(ns, name, labels))
        {
            return null;
        }

        var status = workflow["status"] as JsonObject ?? [];
        string source = labels.TryGetValue(WorkflowLabels.Sensor, out string? sensor)
            ? $"Sensor/{sensor}{(labels.TryGetValue(WorkflowLabels.Trigger, out string? trigger) ? $" trigger {trigger}" : string.Empty)}"
            : $"Workflow/{name}";
        var run = new EtlWorkflowRun
        {
            Name = name,
            Workflow = source,
            Target = "Kubernetes",
            Phase = Phase(status["phase"]),
            StartedAt = Time(status["startedAt"]),
            FinishedAt = Time(status["finishedAt"]),
        };
        foreach (var (_, value) in status["nodes"] as JsonObject ?? [])
        {
            if (value is not JsonObject node)
            {
                continue;
            }

            run.Nodes.Add(new EtlWorkflowNode
            {
                Name = node["name"]?.GetValue<string>() ?? string.Empty,
                Template = node["templateName"]?.GetValue<string>() ?? string.Empty,
                Type = node["type"]?.GetValue<string>() ?? string.Empty,
                Phase = Phase(node["phase"]),
                Message = node["message"]?.GetValue<string>(),
                ExitCode = int.TryParse(node["outputs"]?["exitCode"]?.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int code) ? code : null,
                StartedAt = Time(node["startedAt"]),
                FinishedAt = Time(node["finishedAt"]),
            });
        }

        if (run.Phase is EtlRunPhase.Failed or EtlRunPhase.Error)
        {
            // The leaf that failed says why; the Workflow's own message is often only "child failed".
            var failed = run.Nodes.FirstOrDefault(n => n.Phase is EtlRunPhase.Failed or EtlRunPhase.Error && n.Type == "Pod" && n.Message is not null)
                ?? run.Nodes.FirstOrDefault(n => n.Phase is EtlRunPhase.Failed or EtlRunPhase.Error && n.Message is not null);
            run.Message = failed is not null ? $"node {failed.Name} ({failed.Template}): {failed.Message}" : status["message"]?.GetValue<string>() ?? "failed";
        }

        return run;
    }

    private static EtlRunPhase Phase(JsonNode? phase) =>
        Enum.TryParse(phase?.GetValue<string>(), ignoreCase: false, out EtlRunPhase parsed) ? parsed : EtlRunPhase.Pending;

    private static DateTimeOffset? Time(JsonNode? value) =>
        DateTimeOffset.TryParse(value?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
