using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// After a deploy, waits until every EventSource and Sensor it applied is running: each status condition True (the
/// Argo Events controller's SourcesProvided/DependenciesProvided/TriggersProvided/Deployed) and its Deployment's
/// replicas available. When that takes longer than <see cref="Timeout"/> it fails naming each one that is not running,
/// why (the false conditions, the Deployment's availability) and the events recorded for it, its Deployment and pods.
/// </summary>
public sealed class KubernetesStatusChecker(KubeClient client) : IStatusChecker
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public async Task CheckAsync(IReadOnlyList<AppliedObject> deployed, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(progress);
        var pending = deployed
            .Where(d => d.Kind is "EventSource" or "Sensor" && d.ApiVersion?.StartsWith("argoproj.io/", StringComparison.Ordinal) == true && !d.Action.StartsWith("deleted", StringComparison.Ordinal))
            .ToList();
        var deadline = DateTime.UtcNow + Timeout;
        var why = new Dictionary<AppliedObject, string>();
        while (pending.Count > 0)
        {
            foreach (var obj in pending.ToList())
            {
                string? problem = await ProblemAsync(obj, cancellationToken).ConfigureAwait(false);
                if (problem is null)
                {
                    pending.Remove(obj);
                    progress.Report(new DevEvent("status", $"{obj.Kind}/{obj.Name} is running"));
                }
                else
                {
                    why[obj] = problem;
                }
            }

            if (pending.Count == 0)
            {
                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                var details = new List<string>();
                foreach (var obj in pending)
                {
                    details.Add($"{obj.Kind}/{obj.Name} in namespace {obj.Namespace}: {why[obj]}. {await EventsAsync(obj, cancellationToken).ConfigureAwait(false)}");
                }

                throw new EtlException(EtlErrors.DevNotRunning, EtlErrorKind.Connection,
                    $"Not running after {Timeout.TotalSeconds:0} s: {string.Join(" | ", details)}",
                    "Fix what the conditions and events say (the image, resources, the service account, the EventBus); Get-EtlInfra shows whether the Argo Events controller runs. The session goes on; the next change deploys again.",
                    string.Join(", ", pending.Select(p => $"{p.Kind}/{p.Name}")));
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // Null when running; otherwise what is missing, in words.
    private async Task<string?> ProblemAsync(AppliedObject obj, CancellationToken cancellationToken)
    {
        string ns = obj.Namespace ?? client.DefaultNamespace;
        string plural = obj.Kind == "Sensor" ? "sensors" : "eventsources";
        var current = await client.SendAsync(HttpMethod.Get, $"/apis/{obj.ApiVersion}/namespaces/{KubeClient.Escape(ns)}/{plural}/{KubeClient.Escape(obj.Name)}", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!current.IsSuccess)
        {
            return $"it cannot be read ({(int)current.Status} {current.Message})";
        }

        var conditions = (current.Body?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        if (conditions.Count == 0)
        {
            return "it has no status yet (is the Argo Events controller running?)";
        }

        var problems = conditions.Where(c => c["status"]?.GetValue<string>() != "True")
            .Select(c => $"condition {c["type"]} is {c["status"]}{Reason(c)}")
            .ToList();
        var deployments = await DeploymentsAsync(obj, cancellationToken).ConfigureAwait(false);
        if (deployments.Count == 0 && problems.Count == 0)
        {
            problems.Add("its Deployment does not exist yet");
        }

        foreach (var deployment in deployments)
        {
            long replicas = deployment["spec"]?["replicas"]?.GetValue<long>() ?? 1;
            long available = deployment["status"]?["availableReplicas"]?.GetValue<long>() ?? 0;
            if (available < replicas)
            {
                problems.Add($"Deployment {deployment["metadata"]?["name"]} has {available}/{replicas} replicas available");
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string Reason(JsonObject condition)
    {
        string? reason = condition["reason"]?.GetValue<string>();
        string? message = condition["message"]?.GetValue<string>();
        return (reason, message) switch
        {
            (null, null) => string.Empty,
            (_, null) => $" ({reason})",
            (null, _) => $" ({message})",
            _ => $" ({reason}: {message})",
        };
    }

    private async Task<List<JsonObject>> DeploymentsAsync(AppliedObject obj, CancellationToken cancellationToken)
    {
        string ns = obj.Namespace ?? client.DefaultNamespace;
        string label = obj.Kind == "Sensor" ? WorkflowLabels.SensorName : WorkflowLabels.EventSourceName;
        var list = await client.SendAsync(HttpMethod.Get, $"/apis/apps/v1/namespaces/{KubeClient.Escape(ns)}/deployments?labelSelector={Uri.EscapeDataString($"{label}={obj.Name}")}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. (list.Body?["items"] as JsonArray ?? []).OfType<JsonObject>()];
    }

    // The events of the object, its Deployment and the Deployment's pods: where "why" usually is (scheduling, image pulls).
    private async Task<string> EventsAsync(AppliedObject obj, CancellationToken cancellationToken)
    {
        string ns = obj.Namespace ?? client.DefaultNamespace;
        var names = new List<string> { obj.Name };
        names.AddRange((await DeploymentsAsync(obj, cancellationToken).ConfigureAwait(false)).Select(d => d["metadata"]!["name"]!.GetValue<string>()));
        string label = obj.Kind == "Sensor" ? WorkflowLabels.SensorName : WorkflowLabels.EventSourceName;
        var pods = await client.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{KubeClient.Escape(ns)}/pods?labelSelector={Uri.EscapeDataString($"{label}={obj.Name}")}", cancellationToken: cancellationToken).ConfigureAwait(false);
        names.AddRange((pods.Body?["items"] as JsonArray ?? []).OfType<JsonObject>().Select(p => p["metadata"]!["name"]!.GetValue<string>()));
        var reasons = new List<string>();
        foreach (string name in names)
        {
            var events = await client.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{KubeClient.Escape(ns)}/events?fieldSelector={Uri.EscapeDataString($"involvedObject.name={name}")}", cancellationToken: cancellationToken).ConfigureAwait(false);
            reasons.AddRange((events.Body?["items"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(e => $"{e["involvedObject"]?["kind"]}/{name} {e["reason"]}: {e["message"]}"));
        }

        return reasons.Count == 0 ? "No events were recorded for it." : "Events: " + string.Join("; ", reasons.Distinct());
    }
}
