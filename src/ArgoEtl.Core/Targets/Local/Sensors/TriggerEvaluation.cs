using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// What a trigger does with the latest events: per dependency the filter verdicts, whether its conditions hold (it
/// fires), and then either the resolved resource — for k8s the object to create (e.g. a Workflow), for argoWorkflow the
/// Workflow to submit, for http the request {url, method, headers, body, timeout}, for log {intervalSeconds, events} —
/// or the error that stopped it (a parameter that did not resolve, an unsupported field after parameters applied).
/// </summary>
public sealed record TriggerEvaluation(
    string Trigger,
    TriggerKind Kind,
    string? Conditions,
    IReadOnlyList<DependencyEvaluation> Dependencies,
    bool Fires,
    JsonObject? Resource,
    EtlException? Error,
    string Where);
