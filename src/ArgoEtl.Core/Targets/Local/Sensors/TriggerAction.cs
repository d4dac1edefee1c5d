using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// The kind-specific part of a trigger template, read after the trigger-level parameters patched it: the resource
/// (k8s, argoWorkflow) or the HTTP/log trigger's spec, with the kind's own parameters and, for http, its payload.
/// </summary>
/// <param name="Spec">The kind's block as written: template.k8s, template.argoWorkflow, template.http or template.log.</param>
/// <param name="Resource">The object to create or submit (k8s, argoWorkflow); null for http and log.</param>
public sealed record TriggerAction(TriggerKind Kind, JsonObject Spec, JsonObject? Resource, IReadOnlyList<TriggerParameter> Parameters, IReadOnlyList<TriggerParameter> Payload);
