using System.Globalization;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Lint;

/// <summary>
/// Finds the mistakes in an Argo Events + Argo Workflows project that otherwise surface only in the cluster (a Sensor
/// that never fires, a Workflow that fails on a missing parameter, a pod stuck on a missing Secret), reading the
/// project's manifests as written, with their lines.
/// </summary>
public static partial class ProjectLinter
{
    private sealed record Doc(string File, YamlMappingNode Root, string Kind, string Name)
    {
        public string Object => $"{Kind}/{Name}";
    }

    public static IReadOnlyList<EtlFinding> Lint(EtlProfile profile, IEnumerable<ProjectWarning> projectWarnings)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var findings = new List<EtlFinding>();
        foreach (var warning in projectWarnings ?? [])
        {
            findings.Add(Finding("SkaffoldConfig", FindingSeverity.Warning, warning.File, warning.Line, null, warning.Message, "Correct the field name or remove it; Skaffold ignores or rejects it."));
        }

        var docs = new List<Doc>();
        var seen = new Dictionary<(string Kind, string Namespace, string Name), string>();
        foreach (string pattern in profile.RawYaml)
        {
            if (pattern.StartsWith("http://", StringComparison.Ordinal) || pattern.StartsWith("https://", StringComparison.Ordinal))
            {
                continue;
            }

            var files = ManifestFiles.Expand(profile, pattern);
            if (files.Count == 0)
            {
                findings.Add(Finding("ManifestGlobEmpty", FindingSeverity.Warning, profile.Path, profile.LineOf(pattern), null, $"manifests.rawYaml pattern '{pattern}' matches no file.", "Fix the pattern; paths are relative to skaffold.yaml."));
            }

            foreach (string file in files)
            {
                string relative = Path.GetRelativePath(profile.ProjectDirectory, file).Replace('\\', '/');
                foreach (var doc in YamlFile.Load(file))
                {
                    // The same rule Export-EtlManifest refuses a document by.
                    if (ManifestShape.Problem(doc.Root) is { } problem)
                    {
                        findings.Add(Finding("ManifestNotAnObject", FindingSeverity.Error, relative, doc.Line, null, $"{problem}.",
                            "Remove the document or complete it; every manifest file must hold only Kubernetes objects (Export-EtlManifest refuses this one)."));
                        continue;
                    }

                    var map = (YamlMappingNode)doc.Root;
                    var item = new Doc(relative, map, ImageRewriter.Text(map, "kind") ?? string.Empty,
                        Scalar(map, "metadata", "name") ?? Scalar(map, "metadata", "generateName") ?? string.Empty);

                    // generateName objects get a new name on each create, so two of them are not the same object.
                    if (Scalar(map, "metadata", "name") is not null)
                    {
                        var key = (item.Kind, Scalar(map, "metadata", "namespace") ?? profile.DefaultNamespace ?? string.Empty, item.Name);
                        if (seen.TryGetValue(key, out string? first))
                        {
                            findings.Add(Finding("ManifestDuplicateObject", FindingSeverity.Error, relative, doc.Line, item.Object,
                                $"{item.Object}{(key.Item2.Length > 0 ? $" in namespace {key.Item2}" : string.Empty)} is defined again; the first definition is at {first}.",
                                "Keep one definition (a second apply overwrites the first), or check that a glob does not match the same file twice."));
                            continue;
                        }

                        seen[key] = $"{relative}:{doc.Line}";
                    }

                    docs.Add(item);
                }
            }
        }

        var artifacts = profile.Artifacts.Select(a => a.ImageName).ToHashSet(StringComparer.Ordinal);
        var secrets = SecretsIn(docs);
        var eventSources = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var source in docs.Where(d => d.Kind == "EventSource"))
        {
            // Two EventSources with one name (in different namespaces): a Sensor may wait on either.
            eventSources[source.Name] = eventSources.TryGetValue(source.Name, out var events) ? [.. events, .. EventNames(source.Root)] : EventNames(source.Root);
        }


        foreach (var doc in docs)
        {
            CheckStructure(doc, findings);
            switch (doc.Kind)
            {
                case "Sensor":
                    CheckSensor(doc, eventSources, findings);
                    break;
                case "Workflow" or "WorkflowTemplate" or "ClusterWorkflowTemplate":
                    CheckWorkflow(doc, ImageRewriter.Walk(doc.Root, ["spec"]) as YamlMappingNode, findings);
                    break;
                case "CronWorkflow":
                    CheckWorkflow(doc, ImageRewriter.Walk(doc.Root, ["spec", "workflowSpec"]) as YamlMappingNode, findings);
                    break;
            }

            CheckImages(doc, doc.Root, artifacts, findings);
            CheckSecretRefs(doc, doc.Root, secrets, findings);
        }

        return [.. findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Rule, StringComparer.Ordinal)];
    }

    // ---- Sensors ----

    private static void CheckSensor(Doc doc, IReadOnlyDictionary<string, HashSet<string>> eventSources, List<EtlFinding> findings)
    {
        var dependencies = ImageRewriter.Items(ImageRewriter.Walk(doc.Root, ["spec", "dependencies"])).ToList();
        var names = dependencies.Select(d => ImageRewriter.Text(d, "name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            string? source = ImageRewriter.Text(dependency, "eventSourceName");
            string? eventName = ImageRewriter.Text(dependency, "eventName");
            if (source is null)
            {
                continue;
            }

            if (!eventSources.TryGetValue(source, out var events))
            {
                findings.Add(Finding("SensorEventSourceMissing", FindingSeverity.Warning, doc.File, Line(dependency), doc.Object,
                    $"dependency '{ImageRewriter.Text(dependency, "name")}' waits for EventSource '{source}', which this project does not define.",
                    $"Add an EventSource named '{source}' to the manifests, or check the name (EventSources here: {List(eventSources.Keys)})."));
            }
            else if (eventName is not null && !events.Contains(eventName))
            {
                findings.Add(Finding("SensorEventNameMissing", FindingSeverity.Error, doc.File, Line(dependency), doc.Object,
                    $"dependency '{ImageRewriter.Text(dependency, "name")}' waits for event '{eventName}', but EventSource '{source}' has no such event.",
                    $"Use one of its events: {List(events)}."));
            }
        }

        foreach (var trigger in ImageRewriter.Items(ImageRewriter.Walk(doc.Root, ["spec", "triggers"])))
        {
            var parameters = ImageRewriter.Items(ImageRewriter.Walk(trigger, ["parameters"])).ToList();
            YamlMappingNode? resource = null;
            foreach (string type in new[] { "k8s", "argoWorkflow" })
            {
                if (ImageRewriter.Walk(trigger, ["template", type]) is YamlMappingNode template)
                {
                    parameters.AddRange(ImageRewriter.Items(ImageRewriter.Walk(template, ["parameters"])));
                    resource ??= ImageRewriter.Walk(template, ["source", "resource"]) as YamlMappingNode;
                }
            }

            foreach (var parameter in parameters)
            {
                if (ImageRewriter.Walk(parameter, ["src", "dependencyName"]) is YamlScalarNode { Value: { } dependencyName } node
                    && !names.Contains(dependencyName))
                {
                    findings.Add(Finding("SensorParameterUnknownDependency", FindingSeverity.Error, doc.File, Line(node), doc.Object,
                        $"trigger parameter takes its value from dependency '{dependencyName}', which the Sensor does not declare.",
                        $"Use one of spec.dependencies: {List(names)}."));
                }

                if (resource is not null && ImageRewriter.Walk(parameter, ["dest"]) is YamlScalarNode { Value: { } dest } destNode && DestProblem(resource, dest) is { } problem)
                {
                    findings.Add(Finding("SensorParameterDestMissing", FindingSeverity.Error, doc.File, Line(destNode), doc.Object,
                        $"trigger parameter dest '{dest}' does not exist in the triggered resource: {problem}.",
                        "Point dest at an existing field (list indexes start at 0), or declare the parameter in the Workflow's spec.arguments.parameters."));
                }
            }

            if (resource is not null && ImageRewriter.Text(resource, "kind") is "Workflow")
            {
                CheckWorkflow(doc, ImageRewriter.Walk(resource, ["spec"]) as YamlMappingNode, findings);
            }
        }
    }

    // dest is a dotted path (sjson syntax) into the resource: every list index on the way must exist; the last field may be new.
    private static string? DestProblem(YamlMappingNode resource, string dest)
    {
        var parts = dest.Split('.');
        YamlNode current = resource;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            string part = parts[i];
            string walked = string.Join('.', parts.Take(i));
            YamlNode? next;
            if (current is YamlSequenceNode seq && int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                if (index >= seq.Children.Count)
                {
                    return $"'{walked}' has {seq.Children.Count} item(s), so index {index} does not exist";
                }

                next = seq.Children[index];
            }
            else
            {
                next = current is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(part), out var child) ? child : null;
            }

            if (next is null)
            {
                // A missing map key on the way is created by the Sensor; a list index under it cannot be.
                return parts.Skip(i + 1).Any(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    ? $"'{string.Join('.', parts.Take(i + 1))}' does not exist, so no index under it does" : null;
            }

            current = next;
        }

        return null;
    }

    // ---- Workflows ----

    private static void CheckWorkflow(Doc doc, YamlMappingNode? spec, List<EtlFinding> findings)
    {
        if (spec is null)
        {
            return;
        }

        var declared = ImageRewriter.Items(ImageRewriter.Walk(spec, ["arguments", "parameters"])).Select(p => ImageRewriter.Text(p, "name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var templates = ImageRewriter.Items(ImageRewriter.Walk(spec, ["templates"])).ToList();
        var templateNames = templates.Select(t => ImageRewriter.Text(t, "name")).OfType<string>().ToList();
        if (ImageRewriter.Walk(spec, ["entrypoint"]) is YamlScalarNode { Value: { } entrypoint } entryNode && templates.Count > 0 && !templateNames.Contains(entrypoint))
        {
            findings.Add(Finding("WorkflowEntrypointMissing", FindingSeverity.Error, doc.File, Line(entryNode), doc.Object,
                $"entrypoint '{entrypoint}' is not one of the templates ({List(templateNames)}).", "Name an existing template as the entrypoint."));
        }

        foreach (var duplicate in templateNames.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            findings.Add(Finding("WorkflowTemplateDuplicate", FindingSeverity.Error, doc.File, Line(spec), doc.Object, $"template '{duplicate.Key}' is defined {duplicate.Count()} times.", "Give each template a unique name."));
        }

        foreach (var (node, name) in References(spec, WorkflowParameter()))
        {
            if (!declared.Contains(name))
            {
                findings.Add(Finding("WorkflowParameterUndeclared", FindingSeverity.Error, doc.File, Line(node), doc.Object,
                    $"'{{{{workflow.parameters.{name}}}}}' is used but spec.arguments.parameters does not declare '{name}'.",
                    $"Declare it under spec.arguments.parameters (declared: {List(declared)})."));
            }
        }

        foreach (var template in templates)
        {
            var inputs = ImageRewriter.Items(ImageRewriter.Walk(template, ["inputs", "parameters"])).Select(p => ImageRewriter.Text(p, "name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var (node, name) in References(template, InputParameter()))
            {
                if (!inputs.Contains(name))
                {
                    findings.Add(Finding("TemplateInputUndeclared", FindingSeverity.Error, doc.File, Line(node), doc.Object,
                        $"template '{ImageRewriter.Text(template, "name")}' uses '{{{{inputs.parameters.{name}}}}}' but its inputs.parameters do not declare '{name}'.",
                        $"Add '- name: {name}' under the template's inputs.parameters (declared: {List(inputs)})."));
                }
            }
        }
    }

    private static IEnumerable<(YamlScalarNode Node, string Name)> References(YamlNode node, Regex pattern)
    {
        foreach (var scalar in Scalars(node))
        {
            foreach (Match m in pattern.Matches(scalar.Value ?? string.Empty))
            {
                yield return (scalar, m.Groups[1].Value);
            }
        }
    }

    [GeneratedRegex(@"\{\{\s*workflow\.parameters\.([A-Za-z0-9_-]+)\s*\}\}")]
    private static partial Regex WorkflowParameter();

    [GeneratedRegex(@"\{\{\s*inputs\.parameters\.([A-Za-z0-9_-]+)\s*\}\}")]
    private static partial Regex InputParameter();

    // ---- Images and Secrets ----

    private static void CheckImages(Doc doc, YamlNode node, HashSet<string> artifacts, List<EtlFinding> findings)
    {
        foreach (var (key, value) in Pairs(node))
        {
            if (key == "image" && value is YamlScalarNode { Value: { Length: > 0 } image } scalar && !image.Contains("{{", StringComparison.Ordinal))
            {
                var reference = ImageReference.Parse(image);
                if (!artifacts.Contains(reference.Repository) && !reference.IsFullyQualified)
                {
                    findings.Add(Finding("ImageNotPinned", FindingSeverity.Warning, doc.File, Line(scalar), doc.Object,
                        $"image '{image}' is neither a build artifact ({List(artifacts)}) nor fully qualified (registry/name:tag or @digest).",
                        "Add it to build.artifacts so ArgoEtl builds and tags it, or pin it: registry/name:version (or @sha256:...)."));
                }
            }
        }
    }

    private static readonly HashSet<string> SecretRefKeys = new(StringComparer.Ordinal) { "secretKeyRef", "accessKey", "secretKey", "password", "username", "token" };

    private static void CheckSecretRefs(Doc doc, YamlNode node, Dictionary<string, HashSet<string>> secrets, List<EtlFinding> findings)
    {
        foreach (var (key, value) in Pairs(node))
        {
            if (!SecretRefKeys.Contains(key) || value is not YamlMappingNode reference
                || ImageRewriter.Text(reference, "name") is not { } name || ImageRewriter.Text(reference, "key") is not { } secretKey
                || ImageRewriter.Text(reference, "optional") == "true")
            {
                continue;
            }

            bool known = (secrets.TryGetValue(name, out var keys) && keys.Contains(secretKey))
                || (InfraSecrets.Provided.TryGetValue(name, out var infra) && infra.Contains(secretKey));
            if (!known)
            {
                findings.Add(Finding("SecretKeyMissing", FindingSeverity.Warning, doc.File, Line(reference), doc.Object,
                    secrets.ContainsKey(name) || InfraSecrets.Provided.ContainsKey(name)
                        ? $"Secret '{name}' is referenced with key '{secretKey}', which it does not have."
                        : $"Secret '{name}' (key '{secretKey}') is referenced but neither this project nor Install-EtlInfra creates it.",
                    $"Create the Secret in the project's manifests (not with a hard-coded password: use a generated one), or use one the infrastructure provides: {string.Join(", ", InfraSecrets.Provided.Select(p => $"{p.Key} ({string.Join("/", p.Value)})"))}."));
            }
        }
    }

    private static Dictionary<string, HashSet<string>> SecretsIn(IEnumerable<Doc> docs)
    {
        var secrets = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var doc in docs.Where(d => d.Kind == "Secret"))
        {
            var keys = secrets.TryGetValue(doc.Name, out var existing) ? existing : secrets[doc.Name] = new HashSet<string>(StringComparer.Ordinal);
            foreach (string section in new[] { "data", "stringData" })
            {
                if (ImageRewriter.Walk(doc.Root, [section]) is YamlMappingNode map)
                {
                    keys.UnionWith(map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty));
                }
            }
        }

        return secrets;
    }

    // ---- Structure (what the CRDs' schemas would reject) ----

    private static void CheckStructure(Doc doc, List<EtlFinding> findings)
    {
        void Require(bool ok, YamlNode at, string what, string fix)
        {
            if (!ok)
            {
                findings.Add(Finding("SchemaViolation", FindingSeverity.Error, doc.File, Line(at), doc.Object, what, fix));
            }
        }

        if (!ImageRewriter.Text(doc.Root, "apiVersion")?.StartsWith("argoproj.io/", StringComparison.Ordinal) ?? true)
        {
            return;
        }

        Require(doc.Name.Length > 0, doc.Root, $"{doc.Kind} has neither metadata.name nor metadata.generateName.", "Give the object a name.");
        var spec = ImageRewriter.Walk(doc.Root, ["spec"]) as YamlMappingNode;
        Require(spec is not null, doc.Root, $"{doc.Kind} has no spec.", "Add the spec the kind requires.");
        if (spec is null)
        {
            return;
        }

        switch (doc.Kind)
        {
            case "Sensor":
                var dependencies = ImageRewriter.Items(ImageRewriter.Walk(spec, ["dependencies"])).ToList();
                Require(dependencies.Count > 0, spec, "Sensor has no spec.dependencies.", "List the events it waits for under spec.dependencies.");
                foreach (var d in dependencies)
                {
                    Require(ImageRewriter.Text(d, "name") is not null && ImageRewriter.Text(d, "eventSourceName") is not null && ImageRewriter.Text(d, "eventName") is not null,
                        d, "a Sensor dependency needs name, eventSourceName and eventName.", "Fill in all three fields.");
                }

                var triggers = ImageRewriter.Items(ImageRewriter.Walk(spec, ["triggers"])).ToList();
                Require(triggers.Count > 0, spec, "Sensor has no spec.triggers.", "Add a trigger (e.g. template.k8s creating a Workflow).");
                foreach (var t in triggers)
                {
                    Require(ImageRewriter.Walk(t, ["template", "name"]) is YamlScalarNode, t, "a trigger needs template.name.", "Name the trigger's template.");
                }

                break;
            case "EventSource":
                var kinds = spec.Children.Where(c => ((YamlScalarNode)c.Key).Value is not ("eventBusName" or "template" or "service" or "replicas")).ToList();
                Require(kinds.Count > 0, spec, "EventSource defines no events.", "Add an event type (e.g. minio, sns, generic) with at least one event.");
                foreach (var (type, events) in kinds)
                {
                    Require(events is YamlMappingNode { Children.Count: > 0 }, type, $"EventSource {((YamlScalarNode)type).Value} must map event names to their settings.", "Write e.g. 'minio: { put: { bucket: ... } }'.");
                }

                break;
            case "Workflow" or "WorkflowTemplate" or "ClusterWorkflowTemplate":
                Require(ImageRewriter.Walk(spec, ["templates"]) is YamlSequenceNode || ImageRewriter.Walk(spec, ["workflowTemplateRef"]) is YamlMappingNode,
                    spec, $"{doc.Kind} has neither spec.templates nor spec.workflowTemplateRef.", "Add templates (and an entrypoint) or reference a WorkflowTemplate.");
                foreach (var template in ImageRewriter.Items(ImageRewriter.Walk(spec, ["templates"])))
                {
                    int bodies = TemplateBodies.Count(b => ImageRewriter.Walk(template, [b]) is not null);
                    Require(bodies == 1, template, $"template '{ImageRewriter.Text(template, "name")}' must have exactly one of container, script, dag, steps, resource, suspend, containerSet, data, http, plugin (has {bodies}).",
                        "Keep one template type per template.");
                }

                break;
        }
    }

    private static readonly string[] TemplateBodies = ["container", "script", "dag", "steps", "resource", "suspend", "containerSet", "data", "http", "plugin"];

    // ---- helpers ----

    private static HashSet<string> EventNames(YamlMappingNode eventSource) =>
        ImageRewriter.Walk(eventSource, ["spec"]) is YamlMappingNode spec
            ? spec.Children.Values.OfType<YamlMappingNode>().SelectMany(m => m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty)).ToHashSet(StringComparer.Ordinal)
            : [];

    private static IEnumerable<YamlScalarNode> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s],
        YamlMappingNode m => m.Children.Values.SelectMany(Scalars),
        YamlSequenceNode q => q.Children.SelectMany(Scalars),
        _ => [],
    };

    private static IEnumerable<(string Key, YamlNode Value)> Pairs(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.SelectMany(c => new[] { (((YamlScalarNode)c.Key).Value ?? string.Empty, c.Value) }.Concat(Pairs(c.Value))),
        YamlSequenceNode q => q.Children.SelectMany(Pairs),
        _ => [],
    };

    private static string? Scalar(YamlNode node, params string[] path) => ImageRewriter.Walk(node, path) is YamlScalarNode s ? s.Value : null;

    private static int Line(YamlNode node) => (int)node.Start.Line;

    private static string List(IEnumerable<string> names) => names.Any() ? string.Join(", ", names.Order(StringComparer.Ordinal)) : "none";

    private static EtlFinding Finding(string rule, FindingSeverity severity, string file, int line, string? obj, string message, string suggestion) =>
        new() { Rule = rule, Severity = severity, File = file, Line = line, Object = obj, Message = message, Suggestion = suggestion };
}
