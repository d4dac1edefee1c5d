using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>Validates argoproj.io objects against the upstream JSON Schemas in ../shared/argo, as the CRDs' schemas would.</summary>
public sealed class ArgoSchemaValidator
{
    private readonly Dictionary<string, Lazy<JsonSchema>> _schemas = new(StringComparer.Ordinal);

    public ArgoSchemaValidator(string sharedArgoDirectory)
    {
        foreach (string kind in new[] { "Sensor", "EventSource", "EventBus" })
        {
            _schemas[kind] = new(() => Load(Path.Combine(sharedArgoDirectory, "events", "schema.json"), $"io.argoproj.events.v1alpha1.{kind}"));
        }

        foreach (string kind in new[] { "Workflow", "WorkflowTemplate", "CronWorkflow", "ClusterWorkflowTemplate" })
        {
            _schemas[kind] = new(() => Load(Path.Combine(sharedArgoDirectory, "workflows", "schema.json"), $"io.argoproj.workflow.v1alpha1.{kind}"));
        }
    }

    /// <summary>The shared/argo folder (see <see cref="ArgoEtl.Testing.Substrates.SharedDirectory"/>).</summary>
    public static string DefaultDirectory() => Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "argo");

    public IReadOnlyList<string>? Validate(string kind, JsonObject obj)
    {
        if (!_schemas.TryGetValue(kind, out var schema))
        {
            return null;
        }

        using var doc = JsonDocument.Parse(obj.ToJsonString());
        var result = schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? null : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Values.Select(e => $"{d.InstanceLocation}: {e}")).Take(10)];
    }

    private static JsonSchema Load(string file, string definition)
    {
        var root = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        root.Remove("oneOf");
        root.Remove("type");
        root["$schema"] = "http://json-schema.org/draft-07/schema#";
        root["$id"] = $"https://argoetl.test/apiserver/{Guid.NewGuid():N}/{definition}"; // each server registers its own copy
        root["$ref"] = $"#/definitions/{definition}";
        return JsonSchema.FromText(root.ToJsonString());
    }
}
