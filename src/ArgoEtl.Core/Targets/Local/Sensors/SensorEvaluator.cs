using System.Globalization;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// Evaluates a Sensor against events, target-neutrally: which dependencies an event is for and whether it passes
/// their filters (<see cref="Match"/>), and per trigger whether it fires and what it creates, submits or sends
/// (<see cref="Evaluate"/>, the dry run of argo-events#3339). <see cref="SensorSession"/> keeps the latest passing
/// event per dependency for callers that feed events one by one.
/// </summary>
public sealed class SensorEvaluator
{
    private readonly TimeProvider _time;

    public SensorEvaluator(SensorDefinition sensor, TimeProvider? time = null)
    {
        Sensor = sensor ?? throw new ArgumentNullException(nameof(sensor));
        _time = time ?? TimeProvider.System;
    }

    public SensorDefinition Sensor { get; }

    /// <summary>Each dependency <paramref name="localEvent"/> is for (eventSourceName and eventName), with its filter verdicts.</summary>
    public IReadOnlyList<DependencyEvaluation> Match(LocalEvent localEvent)
    {
        ArgumentNullException.ThrowIfNull(localEvent);
        return [.. Sensor.Dependencies.Where(d => d.Accepts(localEvent)).Select(d => FilterEvaluator.Evaluate(d, localEvent))];
    }

    /// <summary>
    /// Every trigger over <paramref name="events"/> in order, as if delivered one after another without any trigger
    /// firing in between: per dependency the latest event that passed its filters counts (or, when none passed, the
    /// latest that did not, to say why).
    /// </summary>
    public IReadOnlyList<TriggerEvaluation> Evaluate(IEnumerable<LocalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var latest = new Dictionary<string, DependencyEvaluation>(StringComparer.Ordinal);
        foreach (var localEvent in events)
        {
            foreach (var evaluation in Match(localEvent))
            {
                if (evaluation.Passed || !(latest.TryGetValue(evaluation.Dependency, out var kept) && kept.Passed))
                {
                    latest[evaluation.Dependency] = evaluation;
                }
            }
        }

        return [.. Sensor.Triggers.Select(t => EvaluateTrigger(t, latest))];
    }

    /// <summary>One trigger given the latest evaluation per dependency name.</summary>
    public TriggerEvaluation EvaluateTrigger(SensorTrigger trigger, IReadOnlyDictionary<string, DependencyEvaluation> latest)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(latest);
        var dependencies = trigger.Dependencies
            .Select(name => latest.TryGetValue(name, out var e) ? e : DependencyEvaluation.NoEvent(Sensor.Dependencies.First(d => d.Name == name)))
            .ToList();
        var satisfied = dependencies.Where(d => d.Passed).Select(d => d.Dependency).ToHashSet(StringComparer.Ordinal);
        bool fires = trigger.Conditions is null
            ? satisfied.Count == dependencies.Count
            : TriggerConditions.Holds(TriggerConditions.Parse(trigger.Conditions), satisfied, trigger.Dependencies);
        string where = Sensor.Where(trigger.Pointer);
        if (!fires)
        {
            return new TriggerEvaluation(trigger.Name, trigger.Kind, trigger.Conditions, dependencies, false, null, null, where);
        }

        var events = dependencies.Where(d => d.Passed).ToDictionary(d => d.Dependency, d => d.Event!, StringComparer.Ordinal);
        try
        {
            return new TriggerEvaluation(trigger.Name, trigger.Kind, trigger.Conditions, dependencies, true, Resolve(trigger, events), null, where);
        }
        catch (EtlException ex)
        {
            return new TriggerEvaluation(trigger.Name, trigger.Kind, trigger.Conditions, dependencies, true, null, ex, where);
        }
    }

    private JsonObject Resolve(SensorTrigger trigger, Dictionary<string, LocalEvent> events)
    {
        var template = (JsonObject)trigger.Template.DeepClone();
        if (trigger.Parameters.Count > 0)
        {
            template = (JsonObject)ApplyParameters(trigger, template, trigger.Parameters, events);
        }

        var action = SensorParser.ReadAction(Sensor.Document, template, trigger.Pointer + "/template");
        switch (action.Kind)
        {
            case TriggerKind.K8s or TriggerKind.ArgoWorkflow:
                var resource = (JsonObject)ApplyParameters(trigger, action.Resource!.DeepClone(), action.Parameters, events);
                // As upstream's create and submit do: label the object with its origin, default its namespace.
                var metadata = resource["metadata"] as JsonObject ?? [];
                resource["metadata"] = metadata;
                var labels = metadata["labels"] as JsonObject ?? [];
                metadata["labels"] = labels;
                labels["events.argoproj.io/sensor"] = Sensor.Name;
                labels["events.argoproj.io/trigger"] = trigger.Name;
                labels["events.argoproj.io/action-timestamp"] = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                if (metadata["namespace"] is null && Sensor.Namespace is not null)
                {
                    metadata["namespace"] = Sensor.Namespace;
                }

                return resource;
            case TriggerKind.Http:
                var spec = (JsonObject)ApplyParameters(trigger, action.Spec.DeepClone(), action.Parameters, events);
                string? body;
                try
                {
                    body = ParameterResolver.ConstructPayload(action.Payload, events);
                }
                catch (ParameterResolutionException ex)
                {
                    throw Unresolved(trigger, ex);
                }

                return new JsonObject
                {
                    ["url"] = spec["url"]?.DeepClone(),
                    ["method"] = spec["method"]?.DeepClone() ?? "POST",
                    ["headers"] = spec["headers"]?.DeepClone() ?? new JsonObject(),
                    ["body"] = body,
                    ["timeout"] = spec["timeout"]?.DeepClone() ?? 60,
                };
            default:
                var logged = new JsonObject();
                foreach (var (name, localEvent) in events.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    logged[name] = localEvent.ToJson();
                }

                return new JsonObject { ["intervalSeconds"] = action.Spec["intervalSeconds"]?.DeepClone() ?? 0, ["events"] = logged };
        }
    }

    private JsonNode ApplyParameters(SensorTrigger trigger, JsonNode target, IReadOnlyList<TriggerParameter> parameters, Dictionary<string, LocalEvent> events)
    {
        try
        {
            return ParameterResolver.Apply(target, parameters, events);
        }
        catch (ParameterResolutionException ex)
        {
            throw Unresolved(trigger, ex);
        }
    }

    private EtlException Unresolved(SensorTrigger trigger, ParameterResolutionException ex)
    {
        var parameter = ex.Parameter;
        var src = parameter?.Source;
        // Point at the field that failed to resolve, not just the parameter.
        string field = src is null ? string.Empty
            : !string.IsNullOrEmpty(src.DataKey) ? "/src/dataKey"
            : !string.IsNullOrEmpty(src.DataTemplate) ? "/src/dataTemplate"
            : !string.IsNullOrEmpty(src.ContextKey) ? "/src/contextKey"
            : !string.IsNullOrEmpty(src.ContextTemplate) ? "/src/contextTemplate"
            : "/src";
        string where = Sensor.Where(parameter is null ? trigger.Pointer : parameter.Pointer + field);
        string key = src is null ? string.Empty
            : !string.IsNullOrEmpty(src.DataTemplate) ? $"dataTemplate '{src.DataTemplate}'" + (string.IsNullOrEmpty(src.DataKey) ? string.Empty : $" and dataKey '{src.DataKey}'")
            : !string.IsNullOrEmpty(src.DataKey) ? $"dataKey '{src.DataKey}'"
            : !string.IsNullOrEmpty(src.ContextTemplate) ? $"contextTemplate '{src.ContextTemplate}'" + (string.IsNullOrEmpty(src.ContextKey) ? string.Empty : $" and contextKey '{src.ContextKey}'")
            : $"contextKey '{src.ContextKey}'";
        string dest = parameter is null ? string.Empty : $" (dest '{parameter.Dest}')";
        return new EtlException(EtlErrors.SensorParameterUnresolved,
            $"Sensor {Sensor.Name}, trigger '{trigger.Name}': the parameter with {key}{dest} at {where} did not resolve: {ex.Message}.",
            "Fix the key or template to match the event's layout, or give the parameter a src.value to fall back to.", where, ex);
    }
}
