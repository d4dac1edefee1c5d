using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// The fields the local runner implements, as a whitelist: anything else in a Workflow or WorkflowTemplate
/// (podSpecPatch, sidecars, daemon, resource templates, hooks, synchronization, volumeClaimTemplates, ...) stops the
/// run before it starts with an error naming the field and its file:line. A whitelist, not a blacklist, so a field
/// Argo adds later is refused rather than silently ignored.
/// </summary>
internal static class WorkflowFieldCheck
{
    // Shape names: "*" any value (no effect locally or free-form), "str" a scalar, "[X]" a list of X, "[[X]]" a list of lists of X.
    // Fields marked "no local effect" are cluster housekeeping (scheduling, service accounts, GC): accepted because
    // ignoring them cannot change what a step computes.
    private static readonly Dictionary<string, Dictionary<string, string>> Shapes = new(StringComparer.Ordinal)
    {
        ["workflow"] = new() { ["apiVersion"] = "str", ["kind"] = "str", ["metadata"] = "metadata", ["spec"] = "spec" },
        ["metadata"] = new() { ["name"] = "str", ["generateName"] = "str", ["namespace"] = "str", ["labels"] = "*", ["annotations"] = "*" },
        ["spec"] = new()
        {
            ["entrypoint"] = "str", ["arguments"] = "arguments", ["templates"] = "[template]", ["activeDeadlineSeconds"] = "str",
            ["workflowTemplateRef"] = "workflowTemplateRef", ["volumes"] = "[volume]", ["onExit"] = "str",
            // no local effect:
            ["serviceAccountName"] = "str", ["ttlStrategy"] = "*", ["podGC"] = "*", ["imagePullSecrets"] = "*", ["nodeSelector"] = "*",
            ["tolerations"] = "*", ["affinity"] = "*", ["podMetadata"] = "*", ["workflowMetadata"] = "*", ["priority"] = "str",
        },
        ["workflowTemplateRef"] = new() { ["name"] = "str" },
        ["arguments"] = new() { ["parameters"] = "[parameter]", ["artifacts"] = "[artifact]" },
        ["parameter"] = new() { ["name"] = "str", ["value"] = "str", ["default"] = "str", ["enum"] = "[str]", ["description"] = "str", ["valueFrom"] = "valueFrom" },
        ["valueFrom"] = new() { ["path"] = "str", ["default"] = "str", ["parameter"] = "str" },
        ["volume"] = new() { ["name"] = "str", ["emptyDir"] = "emptyDir" },
        ["emptyDir"] = new() { ["medium"] = "str", ["sizeLimit"] = "str" },
        ["template"] = new()
        {
            ["name"] = "str", ["inputs"] = "inputs", ["outputs"] = "outputs", ["container"] = "container", ["script"] = "script",
            ["steps"] = "[[step]]", ["dag"] = "dag", ["suspend"] = "suspend", ["retryStrategy"] = "retryStrategy",
            ["activeDeadlineSeconds"] = "str", ["volumes"] = "[volume]",
            // no local effect:
            ["metadata"] = "*", ["nodeSelector"] = "*", ["tolerations"] = "*", ["affinity"] = "*", ["serviceAccountName"] = "str",
        },
        ["inputs"] = new() { ["parameters"] = "[parameter]", ["artifacts"] = "[artifact]" },
        ["outputs"] = new() { ["parameters"] = "[parameter]", ["artifacts"] = "[artifact]" },
        ["artifact"] = new()
        {
            ["name"] = "str", ["path"] = "str", ["from"] = "str", ["optional"] = "str", ["archive"] = "archive",
            ["s3"] = "s3", ["http"] = "http", ["raw"] = "raw",
        },
        ["archive"] = new() { ["none"] = "*", ["tar"] = "tar" },
        ["tar"] = new() { ["compressionLevel"] = "str" },
        ["s3"] = new()
        {
            ["endpoint"] = "str", ["bucket"] = "str", ["key"] = "str", ["region"] = "str", ["insecure"] = "str",
            ["accessKeySecret"] = "keyRef", ["secretKeySecret"] = "keyRef",
        },
        ["keyRef"] = new() { ["name"] = "str", ["key"] = "str", ["optional"] = "str" },
        ["http"] = new() { ["url"] = "str" },
        ["raw"] = new() { ["data"] = "str" },
        ["container"] = new()
        {
            ["name"] = "str", ["image"] = "str", ["command"] = "[str]", ["args"] = "[str]", ["env"] = "[env]", ["envFrom"] = "[envFrom]",
            ["workingDir"] = "str", ["volumeMounts"] = "[volumeMount]",
            // no local effect:
            ["resources"] = "*", ["imagePullPolicy"] = "str",
        },
        ["script"] = new()
        {
            ["name"] = "str", ["image"] = "str", ["command"] = "[str]", ["args"] = "[str]", ["env"] = "[env]", ["envFrom"] = "[envFrom]",
            ["workingDir"] = "str", ["volumeMounts"] = "[volumeMount]", ["source"] = "str",
            ["resources"] = "*", ["imagePullPolicy"] = "str",
        },
        ["env"] = new() { ["name"] = "str", ["value"] = "str", ["valueFrom"] = "envValueFrom" },
        ["envValueFrom"] = new() { ["secretKeyRef"] = "keyRef", ["configMapKeyRef"] = "keyRef" },
        ["envFrom"] = new() { ["prefix"] = "str", ["secretRef"] = "envFromRef", ["configMapRef"] = "envFromRef" },
        ["envFromRef"] = new() { ["name"] = "str", ["optional"] = "str" },
        ["volumeMount"] = new() { ["name"] = "str", ["mountPath"] = "str", ["readOnly"] = "str" },
        ["step"] = new()
        {
            ["name"] = "str", ["template"] = "str", ["templateRef"] = "templateRef", ["arguments"] = "arguments", ["when"] = "str",
            ["withItems"] = "*", ["withParam"] = "str",
        },
        ["templateRef"] = new() { ["name"] = "str", ["template"] = "str" },
        ["dag"] = new() { ["tasks"] = "[task]" },
        ["task"] = new()
        {
            ["name"] = "str", ["template"] = "str", ["templateRef"] = "templateRef", ["arguments"] = "arguments", ["when"] = "str",
            ["withItems"] = "*", ["withParam"] = "str", ["dependencies"] = "[str]", ["depends"] = "str",
        },
        ["suspend"] = new() { ["duration"] = "str" },
        ["retryStrategy"] = new() { ["limit"] = "str", ["retryPolicy"] = "str", ["backoff"] = "backoff" },
        ["backoff"] = new() { ["duration"] = "str", ["factor"] = "str", ["maxDuration"] = "str" },
    };

    /// <summary>Throws LocalUnsupportedField for the first field outside the whitelist, naming it and its file:line.</summary>
    public static void Check(JsonNode? node, string shape, string pointer, Func<string, string> where, string what)
    {
        switch (shape)
        {
            case "*":
                return;
            case "str":
                if (node is JsonObject or JsonArray)
                {
                    throw Unsupported(pointer, where, what, "a single value is expected here");
                }

                if (node is JsonValue value && value.TryGetValue(out string? text) && text.Contains("{{=", StringComparison.Ordinal))
                {
                    throw new EtlException(EtlErrors.LocalUnsupportedField, $"{what}: expression templates ('{{{{=...}}}}') at {Field(pointer)} ({where(pointer)}) are not supported by the local runner.",
                        "Use simple '{{inputs.parameters.x}}' variables, or run this Workflow on the Kubernetes target.", where(pointer));
                }

                return;
        }

        if (shape.StartsWith("[[", StringComparison.Ordinal))
        {
            ForEach(node, pointer, where, what, (item, p) => Check(item, shape[1..^1], p, where, what));
            return;
        }

        if (shape.StartsWith('['))
        {
            ForEach(node, pointer, where, what, (item, p) => Check(item, shape[1..^1], p, where, what));
            return;
        }

        if (node is null)
        {
            return;
        }

        if (node is not JsonObject obj)
        {
            throw Unsupported(pointer, where, what, "an object is expected here");
        }

        var fields = Shapes[shape];
        foreach (var (name, child) in obj)
        {
            string childPointer = pointer + "/" + Projects.YamlFile.Escape(name);
            if (!fields.TryGetValue(name, out string? childShape))
            {
                throw Unsupported(childPointer, where, what, null);
            }

            Check(child, childShape, childPointer, where, what);
        }
    }

    private static void ForEach(JsonNode? node, string pointer, Func<string, string> where, string what, Action<JsonNode?, string> check)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray list)
        {
            throw Unsupported(pointer, where, what, "a list is expected here");
        }

        for (int i = 0; i < list.Count; i++)
        {
            check(list[i], pointer + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public static string Field(string pointer) => string.Join('.', pointer.Split('/', StringSplitOptions.RemoveEmptyEntries)
        .Select(s => int.TryParse(s, out _) ? "[" + s + "]" : s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        .Replace(".[", "[", StringComparison.Ordinal);

    public static EtlException Unsupported(string pointer, Func<string, string> where, string what, string? why) =>
        new(EtlErrors.LocalUnsupportedField, $"{what}: field '{Field(pointer)}' at {where(pointer)} is not supported by the local runner{(why is null ? string.Empty : " (" + why + ")")}.",
            "Remove the field, or run this Workflow on the Kubernetes target; the local runner never ignores a field it does not implement.", where(pointer));
}
