using System.Collections.Concurrent;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Etl.Storage;
using k8s;
using k8s.Models;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// Tails what a session runs, as "logs" events: the pods of its Workflows (label workflows.argoproj.io/workflow; the
/// main container, each line prefixed "[workflow/node]"), and the pods of its EventSources and Sensors (prefixed
/// "[sensor/name]", so a Sensor's "unable to resolve parameter" shows in the session). Pods are found by a watch on
/// each namespace the session deployed to, from the pods already there, and each container's log is followed from
/// its first line — Skaffold tails CRD-created pods only when told their kinds, and only since v2.10.
/// </summary>
public sealed class KubernetesLogTailer(KubeClient client, Func<KubernetesSession> session) : ILogTailer
{
    private readonly ConcurrentDictionary<string, Task> _following = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _ownedWorkflows = new(StringComparer.Ordinal);
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
        _watches.WatchNamespaces(session().Namespaces, (ns, progress, token) => KubeWatcher.RunAsync<V1Pod>(
            (version, ct) => client.Api.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: version, timeoutSeconds: 300, cancellationToken: ct),
            pod => pod.Metadata?.ResourceVersion,
            (type, pod) => OnPodAsync(type, pod, progress, token),
            ex => progress.Report(new DevEvent("logs", $"Watching pods in namespace {ns} failed: {UrlRedaction.Redact(ex.Message)}")),
            token));

    public async Task StopAsync()
    {
        await _watches.StopAsync(_following.Values).ConfigureAwait(false);
        _following.Clear();
    }

    private async Task OnPodAsync(WatchEventType type, V1Pod pod, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        // A container's log exists once it has started; a pod seen only as Pending is looked at again when it changes.
        if (type == WatchEventType.Deleted || pod.Metadata?.Name is not { } name || pod.Status?.Phase is not ("Running" or "Succeeded" or "Failed"))
        {
            return;
        }

        string ns = pod.Metadata.NamespaceProperty ?? client.DefaultNamespace;
        var labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        var current = session();
        var containers = (pod.Spec?.Containers ?? []).Select(c => c.Name).ToList();
        string? prefix = null;
        if (labels.TryGetValue(WorkflowLabels.Workflow, out string? workflow))
        {
            if (!await OwnsWorkflowAsync(ns, workflow, current, progress, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            string node = pod.Metadata.Annotations?.TryGetValue(WorkflowLabels.NodeName, out string? nodeName) == true ? nodeName : name;
            prefix = $"{workflow}/{(node.StartsWith(workflow + ".", StringComparison.Ordinal) ? node[(workflow.Length + 1)..] : node)}";
            containers = containers.Contains("main") ? ["main"] : containers; // init and wait are Argo's executor
        }
        else if (labels.TryGetValue(WorkflowLabels.SensorName, out string? sensor) && current.Sensors.Contains($"{ns}/{sensor}"))
        {
            prefix = $"sensor/{sensor}";
        }
        else if (labels.TryGetValue(WorkflowLabels.EventSourceName, out string? source) && current.EventSources.Contains($"{ns}/{source}"))
        {
            prefix = $"eventsource/{source}";
        }

        if (prefix is null)
        {
            return;
        }

        foreach (string container in containers)
        {
            string key = $"{ns}/{name}/{container}";
            string linePrefix = containers.Count > 1 ? $"[{prefix} {container}]" : $"[{prefix}]";
            if (!_following.ContainsKey(key)) // one watch per namespace calls this, one event at a time
            {
                _following[key] = FollowAsync(ns, name, container, linePrefix, progress, cancellationToken);
            }
        }
    }

    private async Task FollowAsync(string ns, string pod, string container, string prefix, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            using var stream = await client.Api.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: container, follow: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                progress.Report(new DevEvent("logs", $"{prefix} {line}"));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Autorest.HttpOperationException)
        {
            // The pod went before its log could be read: nothing to tail.
        }
    }

    // A Workflow is the session's when it applied it or one of its Sensors created it; asked once per Workflow. An API
    // that does not answer is reported and the pod skipped (its next change asks again): thrown, it would end this
    // namespace's watch, which reports only watch failures, and no more logs would come from it.
    private async Task<bool> OwnsWorkflowAsync(string ns, string workflow, KubernetesSession current, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        string key = $"{ns}/{workflow}";
        if (_ownedWorkflows.TryGetValue(key, out bool owned))
        {
            return owned;
        }

        KubeResponse response;
        try
        {
            response = await client.SendAsync(HttpMethod.Get, $"/apis/argoproj.io/v1alpha1/namespaces/{KubeClient.Escape(ns)}/workflows/{KubeClient.Escape(workflow)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EtlException ex)
        {
            progress.Report(new DevEvent("logs", $"Not tailing Workflow {workflow} in namespace {ns} for now: whose it is could not be read ({ex.Message}); its pod's next change tries again.", ex));
            return false;
        }

        if (!response.IsSuccess)
        {
            return false;
        }

        var labels = (response.Body?["metadata"]?["labels"] as System.Text.Json.Nodes.JsonObject ?? [])
            .Where(l => l.Value is not null).ToDictionary(l => l.Key, l => l.Value!.ToString(), StringComparer.Ordinal);
        owned = current.Owns(ns, workflow, labels);
        _ownedWorkflows[key] = owned;
        return owned;
    }
}
