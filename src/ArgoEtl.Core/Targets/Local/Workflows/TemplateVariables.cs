using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// Argo's simple template tags, "{{inputs.parameters.x}}", "{{steps.a.outputs.result}}", "{{item.field}}": replaced
/// from a flat map of names. A tag that looks like a variable but has no value is an error (as Argo's controller
/// fails the node), never left in a command line.
/// </summary>
internal static partial class TemplateVariables
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][\w\-]*(?:\.[\w\-]+)*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Tag();

    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables, string where)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        return Tag().Replace(text, match =>
        {
            string name = match.Groups[1].Value;
            if (variables.TryGetValue(name, out string? value))
            {
                return value;
            }

            throw new EtlException(EtlErrors.LocalUnresolvedVariable, $"{where}: '{{{{{name}}}}}' has no value here.",
                Suggest(name), name);
        });
    }

    /// <summary>A deep copy of <paramref name="node"/> with every string substituted.</summary>
    public static JsonNode? SubstituteAll(JsonNode? node, IReadOnlyDictionary<string, string> variables, string where) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, SubstituteAll(p.Value, variables, where)))),
        JsonArray list => new JsonArray([.. list.Select(item => SubstituteAll(item, variables, where))]),
        JsonValue value when value.TryGetValue(out string? text) => JsonValue.Create(Substitute(text, variables, where)),
        _ => node.DeepClone(),
    };

    private static string Suggest(string name)
    {
        if (name.StartsWith("inputs.parameters.", StringComparison.Ordinal))
        {
            return "Declare it under the template's inputs.parameters, with a default or passed in the caller's arguments.";
        }

        if (name.StartsWith("steps.", StringComparison.Ordinal) || name.StartsWith("tasks.", StringComparison.Ordinal))
        {
            return "Refer only to a step of an earlier group (or a task listed in depends/dependencies) and to an output it declares.";
        }

        return name.StartsWith("workflow.parameters.", StringComparison.Ordinal)
            ? "Declare it under spec.arguments.parameters."
            : "Check the spelling; the local runner knows inputs, outputs of steps/tasks, workflow.name/namespace/uid/parameters and item.";
    }

    /// <summary>A value as Argo renders it into a string: strings raw, everything else as JSON.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value when value.TryGetValue(out string? s) => s,
        _ => node.ToJsonString(),
    };
}
