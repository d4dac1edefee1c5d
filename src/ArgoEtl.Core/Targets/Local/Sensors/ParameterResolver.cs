using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Sensors.Paths;
using ArgoEtl.Core.Targets.Local.Sensors.Templates;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// Trigger parameters with the semantics of argo-events pkg/sensors/triggers/params.go: ResolveParamValue (data beats
/// context, a template first, then the key, then value; an empty or "&lt;no value&gt;" template result is a failure;
/// a missing dependency event gives value or skips the parameter), ApplyParams (append/prepend only onto an existing
/// dest, then an sjson set — raw JSON only for non-string results with useRawData) and ConstructPayload (http bodies;
/// an empty dest makes the value the whole body).
/// </summary>
public static class ParameterResolver
{
    /// <summary>The parameter's value, or null when its dependency has no event and it has no value (upstream skips it).</summary>
    /// <exception cref="ParameterResolutionException">Neither template, key nor value resolved.</exception>
    public static ResolvedParameter? Resolve(TriggerParameterSource source, IReadOnlyDictionary<string, LocalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(events);
        if (!events.TryGetValue(source.DependencyName, out var localEvent))
        {
            return source.Value is null ? null : new ResolvedParameter(source.Value, ResolvedParameter.StringType);
        }

        bool hasContext = !string.IsNullOrEmpty(source.ContextKey) || !string.IsNullOrEmpty(source.ContextTemplate);
        bool hasData = !string.IsNullOrEmpty(source.DataKey) || !string.IsNullOrEmpty(source.DataTemplate);
        if (!hasContext && !hasData)
        {
            return new ResolvedParameter(source.Value ?? WholeEvent(localEvent), ResolvedParameter.StringType);
        }

        // Data beats context when both are given.
        JsonNode? payload = hasData ? localEvent.Data : ContextJson(localEvent.Context);
        string? key = hasData ? source.DataKey : source.ContextKey;
        string? template = hasData ? source.DataTemplate : source.ContextTemplate;
        string failure = string.Empty;
        if (!string.IsNullOrEmpty(template))
        {
            try
            {
                string output = GoTemplate.ExecuteWithInput(template, GoValue.FromJson(payload));
                if (output.Length > 0 && output != "<no value>")
                {
                    return new ResolvedParameter(output, ResolvedParameter.StringType);
                }

                failure = $"template '{template}' evaluated to empty string or no value";
            }
            catch (GoTemplateException ex)
            {
                failure = $"template '{template}': {ex.Message}";
            }
        }

        if (!string.IsNullOrEmpty(key))
        {
            var found = GjsonPath.Get(payload, key);
            if (found.Exists)
            {
                return new ResolvedParameter(found.Type is GjsonType.JSON or GjsonType.Null ? found.Raw : found.ToString(), found.Type.ToString());
            }

            failure = $"key {key} does not exist in the event {(hasData ? "data" : "context")}";
        }

        if (source.Value is not null)
        {
            return new ResolvedParameter(source.Value, ResolvedParameter.StringType);
        }

        throw new ParameterResolutionException($"unable to resolve '{source.DependencyName}' parameter value: {failure}");
    }

    /// <summary>Applies <paramref name="parameters"/> to <paramref name="target"/> in order and returns the new root.</summary>
    /// <exception cref="ParameterResolutionException">A parameter did not resolve or its dest is not a valid path.</exception>
    public static JsonNode Apply(JsonNode target, IReadOnlyList<TriggerParameter> parameters, IReadOnlyDictionary<string, LocalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
        {
            var resolved = ResolveAt(parameter, events);
            if (resolved is null)
            {
                continue;
            }

            string value = resolved.Value;
            string type = resolved.Type;
            if (parameter.Operation is "append" or "prepend")
            {
                var current = GjsonPath.Get(target, parameter.Dest);
                if (current.Exists)
                {
                    type = ResolvedParameter.StringType;
                    value = parameter.Operation == "append" ? current.ToString() + value : value + current.ToString();
                }
            }

            target = Set(target, parameter, value, type);
        }

        return target;
    }

    /// <summary>An http trigger's body from its payload parameters (upstream ConstructPayload); null when nothing resolved.</summary>
    public static string? ConstructPayload(IReadOnlyList<TriggerParameter> payload, IReadOnlyDictionary<string, LocalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(payload);
        JsonNode? body = null;
        foreach (var parameter in payload)
        {
            var resolved = ResolveAt(parameter, events);
            if (parameter.Dest.Length == 0)
            {
                if (resolved is not null)
                {
                    return resolved.Value;
                }

                continue;
            }

            if (resolved is null)
            {
                // Upstream dereferences the missing value here; it cannot produce a body.
                throw new ParameterResolutionException($"payload parameter for '{parameter.Source.DependencyName}' has no event and no value");
            }

            body = Set(body, parameter, resolved.Value, resolved.Type);
        }

        return body is null ? null : JsonText.Write(body);
    }

    private static ResolvedParameter? ResolveAt(TriggerParameter parameter, IReadOnlyDictionary<string, LocalEvent> events)
    {
        try
        {
            return Resolve(parameter.Source, events);
        }
        catch (ParameterResolutionException ex)
        {
            throw new ParameterResolutionException(ex.Message, parameter);
        }
    }

    private static JsonNode Set(JsonNode? target, TriggerParameter parameter, string value, string type)
    {
        JsonNode? node;
        if (type != ResolvedParameter.StringType && parameter.Source.UseRawData)
        {
            try
            {
                node = JsonNode.Parse(value);
            }
            catch (JsonException ex)
            {
                throw new ParameterResolutionException($"raw value for dest '{parameter.Dest}' is not JSON: {ex.Message}", parameter);
            }
        }
        else
        {
            node = JsonValue.Create(value);
        }

        try
        {
            return SjsonPath.Set(target, parameter.Dest, node);
        }
        catch (ArgumentException ex)
        {
            throw new ParameterResolutionException($"dest '{parameter.Dest}': {ex.Message}", parameter);
        }
    }

    /// <summary>The context as json.Marshal writes upstream's EventContext (time as RFC 3339 in whole seconds).</summary>
    internal static JsonObject ContextJson(EventContext context) => new()
    {
        ["id"] = context.Id,
        ["source"] = context.Source,
        ["specversion"] = context.SpecVersion,
        ["type"] = context.Type,
        ["datacontenttype"] = context.DataContentType,
        ["subject"] = context.Subject,
        ["time"] = context.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The whole event as upstream marshals its Event struct: {"context": ..., "data": ...} where data, a Go []byte,
    /// becomes the base64 of the data's JSON text.
    /// </summary>
    internal static string WholeEvent(LocalEvent localEvent) =>
        JsonText.Write(new JsonObject
        {
            ["context"] = ContextJson(localEvent.Context),
            ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonText.Write(localEvent.Data))),
        });
}
