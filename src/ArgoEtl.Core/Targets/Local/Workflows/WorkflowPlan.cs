using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// A Workflow made ready to run, or refused before anything starts: every field checked against what the local
/// runner implements, the WorkflowTemplate merged in (workflowTemplateRef), every template reachable from the
/// entrypoint resolved (templateRef too), and the references the run will need (Secrets, ConfigMaps, the artifact
/// repository, volumes) known to be satisfiable.
/// </summary>
internal sealed class WorkflowPlan
{
    private static readonly string[] Kinds = ["container", "script", "steps", "dag", "suspend"];

    private WorkflowPlan(string name, string label, JsonObject spec, TemplateOwner owner, TemplateHandle entrypoint, string ns)
    {
        Name = name;
        Label = label;
        Spec = spec;
        Owner = owner;
        Entrypoint = entrypoint;
        Namespace = ns;
    }

    public string Name { get; }

    public string Label { get; }

    public JsonObject Spec { get; }

    public TemplateOwner Owner { get; }

    public TemplateHandle Entrypoint { get; }

    public string Namespace { get; }

    /// <summary>spec.arguments.parameters by name (the WorkflowTemplate's, overridden by the Workflow's).</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    public JsonArray Volumes { get; } = [];

    public TimeSpan? ActiveDeadline { get; private set; }

    /// <summary>spec.onExit: the exit handler, run after the entrypoint whatever its outcome.</summary>
    public TemplateHandle? OnExit { get; private set; }

    public static WorkflowPlan Prepare(WorkflowSource source, LocalWorkflowContext context)
    {
        var workflow = source.Workflow;
        string kind = (string?)workflow["kind"] ?? "Workflow";
        string label = $"{kind}/{(string?)workflow["metadata"]?["name"] ?? (string?)workflow["metadata"]?["generateName"] ?? "?"}";
        if (kind != "Workflow")
        {
            throw new EtlException(EtlErrors.LocalNotAWorkflow, $"{label} at {source.Where("")} is a {kind}; the local runner runs Workflows.",
                "Run a Workflow (a WorkflowTemplate is run through a Workflow with spec.workflowTemplateRef).", source.Where(""));
        }

        WorkflowFieldCheck.Check(workflow, "workflow", string.Empty, source.Where, label);
        string name = (string?)workflow["metadata"]?["name"] ?? string.Empty;
        if (name.Length == 0)
        {
            string prefix = (string?)workflow["metadata"]?["generateName"] ?? throw new EtlException(EtlErrors.LocalWorkflowUnnamed, $"{label} at {source.Where("/metadata")} has neither metadata.name nor metadata.generateName.", "Give the Workflow a name or a generateName.", source.Where("/metadata"));
            name = prefix + Suffix();
        }

        string ns = (string?)workflow["metadata"]?["namespace"] ?? context.Namespace;
        var spec = (workflow["spec"] as JsonObject)?.DeepClone().AsObject() ?? [];
        var owner = new TemplateOwner(label, spec["templates"] as JsonArray ?? [], "/spec/templates", source.Where);
        var arguments = new List<(JsonArray List, string Pointer, Func<string, string> Where)>();
        if (spec["workflowTemplateRef"]?["name"] is { } refName)
        {
            var template = Template(context, (string)refName!, source.Where("/spec/workflowTemplateRef/name"), label);
            var templateSpec = (template.Object["spec"] as JsonObject)?.DeepClone().AsObject() ?? [];
            if (spec["templates"] is JsonArray { Count: > 0 })
            {
                throw new EtlException(EtlErrors.LocalUnsupportedField, $"{label}: spec.templates next to spec.workflowTemplateRef at {source.Where("/spec/templates")} is not supported by the local runner.",
                    "Put the templates into the WorkflowTemplate.", source.Where("/spec/templates"));
            }

            owner = new TemplateOwner($"WorkflowTemplate/{template.Name}", templateSpec["templates"] as JsonArray ?? [], "/spec/templates", template.Where);
            if (templateSpec["arguments"]?["parameters"] is JsonArray templateParameters)
            {
                arguments.Add((templateParameters, "/spec/arguments/parameters", template.Where));
            }

            spec["entrypoint"] ??= templateSpec["entrypoint"]?.DeepClone();
            spec["activeDeadlineSeconds"] ??= templateSpec["activeDeadlineSeconds"]?.DeepClone();
            foreach (var volume in templateSpec["volumes"] as JsonArray ?? [])
            {
                (spec["volumes"] ??= new JsonArray()).AsArray().Add(volume?.DeepClone());
            }
        }

        if (spec["arguments"]?["parameters"] is JsonArray own)
        {
            arguments.Add((own, "/spec/arguments/parameters", source.Where));
        }

        string entryName = (string?)spec["entrypoint"] ?? throw new EtlException(EtlErrors.LocalNoEntrypoint, $"{label} at {source.Where("/spec")} has no spec.entrypoint.", "Set spec.entrypoint to the template to start with.", source.Where("/spec"));
        var entry = owner.Find(entryName) ?? throw new EtlException(EtlErrors.LocalTemplateNotFound, $"{label}: entrypoint '{entryName}' at {source.Where("/spec/entrypoint")} names no template of {owner.Label}.", "Name one of spec.templates.", source.Where("/spec/entrypoint"));
        var plan = new WorkflowPlan(name, label, spec, owner, entry, ns);
        foreach (var (list, pointer, where) in arguments)
        {
            for (int i = 0; i < list.Count; i++)
            {
                string at = where(pointer + "/" + i.ToString(CultureInfo.InvariantCulture));
                string pname = (string?)list[i]?["name"] ?? throw new EtlException(EtlErrors.LocalParameterUnnamed, $"{label}: a workflow parameter at {at} has no name.", "Give it a name.", at);
                var value = list[i]?["value"] ?? list[i]?["default"];
                if (value is null)
                {
                    throw new EtlException(EtlErrors.LocalParameterNoValue, $"{label}: workflow parameter '{pname}' at {at} has no value.",
                        "Give it a value (a Sensor trigger sets it through its parameters' dest).", at);
                }

                plan.Parameters[pname] = TemplateVariables.Text(value);
            }
        }

        foreach (var volume in spec["volumes"] as JsonArray ?? [])
        {
            plan.Volumes.Add(volume?.DeepClone());
        }

        if (spec["activeDeadlineSeconds"] is { } deadline)
        {
            plan.ActiveDeadline = ArgoDuration.Parse(deadline) ?? throw new EtlException(EtlErrors.LocalBadDuration, $"{label}: activeDeadlineSeconds '{TemplateVariables.Text(deadline)}' at {source.Where("/spec/activeDeadlineSeconds")} is not a number of seconds.", "Write a number of seconds.", source.Where("/spec/activeDeadlineSeconds"));
        }

        var seen = new HashSet<TemplateHandle>();
        plan.CheckReachable(entry, context, seen, label);
        if ((string?)spec["onExit"] is { } onExit)
        {
            plan.OnExit = owner.Find(onExit) ?? throw new EtlException(EtlErrors.LocalTemplateNotFound, $"{label}: onExit '{onExit}' at {source.Where("/spec/onExit")} names no template of {owner.Label}.", "Name one of spec.templates.", source.Where("/spec/onExit"));
            plan.CheckReachable(plan.OnExit, context, seen, label);
        }

        return plan;
    }

    /// <summary>Resolves a step's or task's template: `template` among its owner's, or `templateRef` in a WorkflowTemplate.</summary>
    public static TemplateHandle Resolve(JsonObject call, string callPointer, TemplateOwner owner, LocalWorkflowContext context, string label)
    {
        if (call["templateRef"] is JsonObject reference)
        {
            string wt = (string?)reference["name"] ?? string.Empty;
            string tname = (string?)reference["template"] ?? string.Empty;
            var doc = Template(context, wt, owner.Where(callPointer + "/templateRef"), label);
            var refOwner = new TemplateOwner($"WorkflowTemplate/{doc.Name}", doc.Object["spec"]?["templates"] as JsonArray ?? [], "/spec/templates", doc.Where);
            return refOwner.Find(tname) ?? throw new EtlException(EtlErrors.LocalTemplateNotFound, $"{label}: templateRef at {owner.Where(callPointer + "/templateRef")} names template '{tname}', which WorkflowTemplate/{wt} ({doc.File}:{doc.Line}) does not have.",
                "Name one of that WorkflowTemplate's spec.templates.", owner.Where(callPointer + "/templateRef"));
        }

        string name = (string?)call["template"] ?? throw new EtlException(EtlErrors.LocalTemplateNotFound, $"{label}: the step or task at {owner.Where(callPointer)} names no template.", "Set template or templateRef.", owner.Where(callPointer));
        return owner.Find(name) ?? throw new EtlException(EtlErrors.LocalTemplateNotFound, $"{label}: template '{name}' at {owner.Where(callPointer + "/template")} is not one of {owner.Label}'s templates.", "Name one of spec.templates.", owner.Where(callPointer + "/template"));
    }

    private static ManifestDocument Template(LocalWorkflowContext context, string name, string at, string label)
    {
        if (!context.WorkflowTemplates.TryGetValue(name, out var doc))
        {
            throw new EtlException(EtlErrors.LocalWorkflowTemplateNotFound, $"{label}: WorkflowTemplate '{name}' referenced at {at} is not among the project's manifests.",
                "Add the WorkflowTemplate's manifest to the project, or fix the name.", at);
        }

        WorkflowFieldCheck.Check(doc.Object, "workflow", string.Empty, doc.Where, $"WorkflowTemplate/{name}");
        return doc;
    }

    private void CheckReachable(TemplateHandle template, LocalWorkflowContext context, HashSet<TemplateHandle> seen, string label)
    {
        if (!seen.Add(template))
        {
            return;
        }

        var t = template.Template;
        string[] kinds = [.. Kinds.Where(t.ContainsKey)];
        if (kinds.Length != 1)
        {
            throw new EtlException(EtlErrors.LocalUnsupportedField, $"{label}: template '{template.Name}' at {template.Where()} has {(kinds.Length == 0 ? "none" : string.Join(" and ", kinds))} of container, script, steps, dag, suspend; the local runner needs exactly one.",
                "Give the template one of them (resource, containerSet, http, plugin and data templates are not supported locally).", template.Where());
        }

        if (t["suspend"] is { } suspend && suspend["duration"] is null)
        {
            throw new EtlException(EtlErrors.LocalUnsupportedField, $"{label}: suspend template '{template.Name}' at {template.Where("/suspend")} has no duration; the local runner cannot be resumed by hand.",
                "Give suspend a duration.", template.Where("/suspend"));
        }

        if (t["retryStrategy"] is { } retry && retry["limit"] is null)
        {
            throw new EtlException(EtlErrors.LocalUnsupportedField, $"{label}: retryStrategy of template '{template.Name}' at {template.Where("/retryStrategy")} has no limit (it would retry forever).",
                "Set retryStrategy.limit.", template.Where("/retryStrategy"));
        }

        if ((t["container"] ?? t["script"]) is { } container)
        {
            CheckContainer(template, container, context, label);
        }

        if (context.ArtifactRepository is null && t["outputs"]?["artifacts"] is JsonArray { Count: > 0 })
        {
            throw new EtlException(EtlErrors.LocalNoArtifactRepository, $"{label}: template '{template.Name}' at {template.Where("/outputs/artifacts")} has output artifacts, and no artifact repository is configured.",
                "Run with the local object store (it provides the default artifact repository), or remove the output artifacts.", template.Where("/outputs/artifacts"));
        }

        if (t["steps"] is JsonArray groups)
        {
            for (int g = 0; g < groups.Count; g++)
            {
                var group = groups[g] as JsonArray ?? [];
                for (int s = 0; s < group.Count; s++)
                {
                    string pointer = $"{template.Pointer}/steps/{g}/{s}";
                    var step = group[s] as JsonObject ?? [];
                    RequireName(step, template.Owner.Where(pointer), label, "step");
                    CheckReachable(Resolve(step, pointer, template.Owner, context, label), context, seen, label);
                }
            }
        }

        if (t["dag"]?["tasks"] is JsonArray tasks)
        {
            var names = tasks.Select(task => (string?)task?["name"]).ToHashSet(StringComparer.Ordinal);
            for (int i = 0; i < tasks.Count; i++)
            {
                string pointer = $"{template.Pointer}/dag/tasks/{i}";
                var task = tasks[i] as JsonObject ?? [];
                RequireName(task, template.Owner.Where(pointer), label, "task");
                var depends = LocalWorkflowRunner.DependsOf(task);
                foreach (string operand in depends?.Operands ?? [])
                {
                    if (!names.Contains(operand))
                    {
                        string at = template.Owner.Where(pointer + (task.ContainsKey("depends") ? "/depends" : "/dependencies"));
                        throw new EtlException(EtlErrors.LocalTaskNotFound, $"{label}: task '{(string?)task["name"]}' at {at} depends on '{operand}', which is not a task of this DAG.",
                            "Name a task of the same dag.", at);
                    }
                }

                CheckReachable(Resolve(task, pointer, template.Owner, context, label), context, seen, label);
            }
        }
    }

    private void CheckContainer(TemplateHandle template, JsonNode container, LocalWorkflowContext context, string label)
    {
        string kind = template.Kind;
        if (container["image"] is null)
        {
            throw new EtlException(EtlErrors.LocalNoImage, $"{label}: template '{template.Name}' at {template.Where("/" + kind)} has no image.", "Set the image.", template.Where("/" + kind));
        }

        var env = container["env"] as JsonArray ?? [];
        var envFrom = container["envFrom"] as JsonArray ?? [];
        if (context.Values is null && (env.Any(e => e?["valueFrom"] is not null) || envFrom.Count > 0))
        {
            throw new EtlException(EtlErrors.LocalNoValueResolver, $"{label}: template '{template.Name}' at {template.Where("/" + kind)} reads Secrets or ConfigMaps, and none are available to this run.",
                "Run it through the local target, which provides the manifests' Secrets and ConfigMaps.", template.Where("/" + kind));
        }

        // A literal Secret/ConfigMap reference that nobody provides is refused now, not when the step is reached.
        for (int i = 0; i < env.Count; i++)
        {
            var reference = env[i]?["valueFrom"]?["secretKeyRef"] ?? env[i]?["valueFrom"]?["configMapKeyRef"];
            bool secret = env[i]?["valueFrom"]?["secretKeyRef"] is not null;
            if (reference is null || context.Values is null || reference["optional"]?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            {
                continue;
            }

            string refName = (string?)reference["name"] ?? string.Empty;
            string key = (string?)reference["key"] ?? string.Empty;
            if (refName.Contains("{{", StringComparison.Ordinal) || key.Contains("{{", StringComparison.Ordinal))
            {
                continue;
            }

            if ((secret ? context.Values.Secret(refName, key) : context.Values.ConfigMap(refName, key)) is null)
            {
                string at = template.Where($"/{kind}/env/{i}/valueFrom");
                throw new EtlException(EtlErrors.LocalReferenceNotFound, $"{label}: env {(string?)env[i]?["name"]} of template '{template.Name}' at {at} reads key '{key}' of {(secret ? "Secret" : "ConfigMap")} '{refName}', which nobody provides.",
                    $"Add the {(secret ? "Secret" : "ConfigMap")} '{refName}' with key '{key}' to the project's manifests, or mark the reference optional.", at);
            }
        }

        var volumes = Volumes.Concat(template.Template["volumes"] as JsonArray ?? []).Select(v => (string?)v?["name"]).ToHashSet(StringComparer.Ordinal);
        var mounts = container["volumeMounts"] as JsonArray ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            string vname = (string?)mounts[i]?["name"] ?? string.Empty;
            if (!volumes.Contains(vname))
            {
                string at = template.Where($"/{kind}/volumeMounts/{i}");
                throw new EtlException(EtlErrors.LocalVolumeNotFound, $"{label}: volume mount '{vname}' at {at} names no volume of the template or the Workflow.",
                    "Declare it under spec.volumes (emptyDir).", at);
            }
        }

        foreach (var volume in Volumes.Concat(template.Template["volumes"] as JsonArray ?? []))
        {
            if (volume?["emptyDir"] is null)
            {
                throw new EtlException(EtlErrors.LocalUnsupportedField, $"{label}: volume '{(string?)volume?["name"]}' is not an emptyDir; the local runner provides emptyDir volumes only.",
                    "Use an emptyDir volume, or an artifact to bring files in.", template.Where());
            }
        }
    }

    private static void RequireName(JsonObject call, string at, string label, string what)
    {
        if (call["name"] is null)
        {
            throw new EtlException(EtlErrors.LocalStepUnnamed, $"{label}: the {what} at {at} has no name.", $"Give the {what} a name.", at);
        }
    }

    private static string Suffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Concat(Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]));
    }
}
