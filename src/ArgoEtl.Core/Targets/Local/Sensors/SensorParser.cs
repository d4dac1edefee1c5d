using System.Globalization;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Local.Expressions;
using ArgoEtl.Core.Targets.Local.Sensors.Paths;
using ArgoEtl.Core.Targets.Local.Sensors.Templates;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// Reads an argoproj.io/v1alpha1 Sensor into a <see cref="SensorDefinition"/>. Every field is either implemented,
/// accepted because it cannot change what the local target computes (pod template, replicas, eventBusName,
/// retryStrategy, atLeastOnce, ...), or rejected with <c>LocalUnsupportedField</c> naming the field and its file:line —
/// nothing is silently ignored.
/// </summary>
public static class SensorParser
{
    public const string UnsupportedField = nameof(EtlErrors.LocalUnsupportedField);
    public const string Invalid = nameof(EtlErrors.SensorInvalid);

    private static readonly string[] TopFields = ["apiVersion", "kind", "metadata", "spec", "status"];
    // template is the Sensor pod's spec; eventBusName, replicas, revisionHistoryLimit, loggingFields and
    // errorOnFailedRound shape the deployment and its logs, not which triggers fire or what they create.
    private static readonly string[] SpecFields = ["dependencies", "triggers", "template", "eventBusName", "replicas", "revisionHistoryLimit", "loggingFields", "errorOnFailedRound"];
    private static readonly string[] DependencyFields = ["name", "eventSourceName", "eventName", "filters", "filtersLogicalOperator"];
    private static readonly string[] FilterFields = ["time", "context", "data", "exprs", "dataLogicalOperator", "exprLogicalOperator"];
    private static readonly string[] TimeFields = ["start", "stop", "timezone"];
    // id, specversion and time are part of the EventContext type but upstream's context filter never compares them.
    private static readonly string[] ContextFields = ["type", "subject", "source", "datacontenttype", "id", "specversion", "time"];
    private static readonly string[] DataFilterFields = ["path", "type", "value", "comparator", "template"];
    private static readonly string[] ExprFilterFields = ["expr", "fields"];
    private static readonly string[] PayloadFieldFields = ["name", "path"];
    // retryStrategy retries a failed create/submit and atLeastOnce is delivery bookkeeping: neither changes the result here.
    private static readonly string[] TriggerFields = ["template", "parameters", "retryStrategy", "atLeastOnce"];
    private static readonly string[] TemplateFields = ["name", "conditions", "k8s", "argoWorkflow", "log", "http"];
    private static readonly string[] K8sFields = ["source", "operation", "parameters"];
    private static readonly string[] ArgoWorkflowFields = ["source", "operation", "parameters"];
    private static readonly string[] SourceFields = ["resource", "inline"];
    private static readonly string[] HttpFields = ["url", "method", "headers", "payload", "parameters", "timeout"];
    private static readonly string[] LogFields = ["intervalSeconds"];
    private static readonly string[] ParameterFields = ["src", "dest", "operation"];
    private static readonly string[] SourceParameterFields = ["dependencyName", "contextKey", "contextTemplate", "dataKey", "dataTemplate", "value", "useRawData"];

    /// <exception cref="EtlException">LocalUnsupportedField or SensorInvalid, naming the field and file:line.</exception>
    public static SensorDefinition Parse(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var reader = new Reader(document);
        var obj = document.Object;
        if ((string?)obj["kind"] != "Sensor" || (string?)obj["apiVersion"] != "argoproj.io/v1alpha1")
        {
            throw reader.Error(EtlErrors.SensorInvalid, string.Empty, $"{document} is not an argoproj.io/v1alpha1 Sensor.", "Pass a Sensor document.");
        }

        reader.Check(obj, string.Empty, TopFields);
        var spec = reader.Object(obj, "/spec", required: true)!;
        reader.Check(spec, "/spec", SpecFields);
        var dependencies = reader.Array(spec, "/spec/dependencies").Select((d, i) => ParseDependency(reader, d, $"/spec/dependencies/{i}")).ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            if (!names.Add(dependency.Name))
            {
                throw reader.Error(EtlErrors.SensorInvalid, dependency.Pointer, $"Dependency '{dependency.Name}' is declared twice at {reader.Where(dependency.Pointer)}.", "Give each dependency its own name.");
            }
        }

        var triggers = reader.Array(spec, "/spec/triggers").Select((t, i) => ParseTrigger(reader, t, $"/spec/triggers/{i}", dependencies)).ToList();
        if (dependencies.Count == 0 || triggers.Count == 0)
        {
            throw reader.Error(EtlErrors.SensorInvalid, "/spec", $"Sensor {document.Name} at {reader.Where("/spec")} needs at least one dependency and one trigger.", "Add spec.dependencies and spec.triggers.");
        }

        return new SensorDefinition(document.Name, (string?)obj["metadata"]?["namespace"], dependencies, triggers, document);
    }

    /// <summary>
    /// The kind-specific part of a (possibly parameter-patched) trigger template. Called at parse time to validate and
    /// again per firing, since trigger-level parameters may rewrite it.
    /// </summary>
    /// <exception cref="EtlException">LocalUnsupportedField or SensorInvalid.</exception>
    public static TriggerAction ReadAction(ManifestDocument document, JsonObject template, string pointer)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(template);
        var reader = new Reader(document);
        return ReadAction(reader, template, pointer);
    }

    private static SensorDependency ParseDependency(Reader reader, JsonNode? node, string pointer)
    {
        var obj = reader.AsObject(node, pointer);
        if (obj.ContainsKey("transform"))
        {
            throw reader.Unsupported(pointer + "/transform", "a dependency transform (jq or script) is not run by the local target");
        }

        reader.Check(obj, pointer, DependencyFields);
        string name = reader.String(obj, pointer + "/name", required: true)!;
        string source = reader.String(obj, pointer + "/eventSourceName", required: true)!;
        string eventName = reader.String(obj, pointer + "/eventName", required: true)!;
        var filters = reader.Object(obj, pointer + "/filters") is { } f ? ParseFilters(reader, f, pointer + "/filters") : null;
        return new SensorDependency(name, source, eventName, filters, reader.Operator(obj, pointer + "/filtersLogicalOperator"), pointer);
    }

    private static DependencyFilters ParseFilters(Reader reader, JsonObject obj, string pointer)
    {
        if (obj.ContainsKey("script"))
        {
            throw reader.Unsupported(pointer + "/script", "Lua script filters are not run by the local target");
        }

        reader.Check(obj, pointer, FilterFields);
        TimeFilter? time = null;
        if (reader.Object(obj, pointer + "/time") is { } t)
        {
            reader.Check(t, pointer + "/time", TimeFields);
            time = new TimeFilter(reader.String(t, pointer + "/time/start", required: true)!, reader.String(t, pointer + "/time/stop", required: true)!, reader.String(t, pointer + "/time/timezone"));
        }

        ContextFilter? context = null;
        if (reader.Object(obj, pointer + "/context") is { } c)
        {
            reader.Check(c, pointer + "/context", ContextFields);
            string p = pointer + "/context/";
            context = new ContextFilter(reader.String(c, p + "type"), reader.String(c, p + "subject"), reader.String(c, p + "source"), reader.String(c, p + "datacontenttype"));
        }

        List<DataFilter>? data = obj.ContainsKey("data") ? [.. reader.Array(obj, pointer + "/data").Select((d, i) => ParseDataFilter(reader, d, $"{pointer}/data/{i}"))] : null;
        List<ExprFilter>? exprs = obj.ContainsKey("exprs") ? [.. reader.Array(obj, pointer + "/exprs").Select((e, i) => ParseExprFilter(reader, e, $"{pointer}/exprs/{i}"))] : null;
        return new DependencyFilters(data, exprs, context, time, reader.Operator(obj, pointer + "/dataLogicalOperator"), reader.Operator(obj, pointer + "/exprLogicalOperator"));
    }

    private static DataFilter ParseDataFilter(Reader reader, JsonNode? node, string pointer)
    {
        var obj = reader.AsObject(node, pointer);
        reader.Check(obj, pointer, DataFilterFields);
        string path = reader.GjsonPath(obj, pointer + "/path", required: true)!;
        string? template = reader.String(obj, pointer + "/template");
        if (template is not null)
        {
            reader.TemplateSupported(template, pointer + "/template");
        }

        var values = reader.Array(obj, pointer + "/value").Select((v, i) => reader.Scalar(v, $"{pointer}/value/{i}")).ToList();
        return new DataFilter(path, reader.String(obj, pointer + "/type") ?? string.Empty, values, reader.String(obj, pointer + "/comparator") ?? string.Empty, template, pointer);
    }

    private static ExprFilter ParseExprFilter(Reader reader, JsonNode? node, string pointer)
    {
        var obj = reader.AsObject(node, pointer);
        reader.Check(obj, pointer, ExprFilterFields);
        string expr = reader.String(obj, pointer + "/expr", required: true)!;
        try
        {
            GovaluateExpression.Parse(expr);
        }
        catch (GovaluateException ex) when (ex.Unsupported)
        {
            throw reader.Unsupported(pointer + "/expr", ex.Message);
        }
        catch (GovaluateException)
        {
            // Upstream parses at filter time and counts a bad expression as the filter failing; so does the evaluator.
        }

        var fields = reader.Array(obj, pointer + "/fields").Select((f, i) =>
        {
            string p = $"{pointer}/fields/{i}";
            var field = reader.AsObject(f, p);
            reader.Check(field, p, PayloadFieldFields);
            return new PayloadField(reader.String(field, p + "/name", required: true)!, reader.GjsonPath(field, p + "/path", required: true)!);
        }).ToList();
        return new ExprFilter(expr, fields, pointer);
    }

    private static SensorTrigger ParseTrigger(Reader reader, JsonNode? node, string pointer, List<SensorDependency> dependencies)
    {
        var obj = reader.AsObject(node, pointer);
        foreach (var (field, why) in new[]
        {
            ("policy", "trigger policies wait on the created resource's status, which the local target does not watch"),
            ("rateLimit", "trigger rate limits are not applied by the local target"),
            ("dlqTrigger", "dead-letter triggers are not run by the local target"),
        })
        {
            if (obj.ContainsKey(field))
            {
                throw reader.Unsupported($"{pointer}/{field}", why);
            }
        }

        reader.Check(obj, pointer, TriggerFields);
        var template = reader.Object(obj, pointer + "/template", required: true)!;
        string name = reader.String(template, pointer + "/template/name", required: true)!;
        string? conditions = reader.String(template, pointer + "/template/conditions");
        IReadOnlyList<string> waitsFor = dependencies.Select(d => d.Name).ToList();
        if (!string.IsNullOrWhiteSpace(conditions))
        {
            GovaluateExpression expression;
            try
            {
                expression = TriggerConditions.Parse(conditions);
            }
            catch (GovaluateException ex)
            {
                throw reader.Error(EtlErrors.SensorInvalid, pointer + "/template/conditions", $"Trigger '{name}' has conditions '{conditions}' that do not parse ({reader.Where(pointer + "/template/conditions")}): {ex.Message}", "Write the conditions as dependency names joined with && and ||, in parentheses where needed.");
            }

            var unknown = expression.Variables.Where(v => dependencies.All(d => d.Name != v)).ToList();
            if (unknown.Count > 0)
            {
                throw reader.Error(EtlErrors.SensorInvalid, pointer + "/template/conditions", $"Trigger '{name}' conditions name {string.Join(", ", unknown.Select(u => $"'{u}'"))}, which is not a dependency of the Sensor ({reader.Where(pointer + "/template/conditions")}).", "Use the names under spec.dependencies.");
            }

            waitsFor = dependencies.Select(d => d.Name).Where(expression.Variables.Contains).ToList();
        }
        else
        {
            conditions = null;
        }

        var parameters = ParseParameters(reader, obj, pointer + "/parameters");
        var action = ReadAction(reader, template, pointer + "/template");
        return new SensorTrigger(name, action.Kind, conditions, waitsFor, (JsonObject)template.DeepClone(), parameters, pointer);
    }

    private static TriggerAction ReadAction(Reader reader, JsonObject template, string pointer)
    {
        if (template.ContainsKey("conditionsReset"))
        {
            throw reader.Unsupported(pointer + "/conditionsReset", "resetting conditions on a schedule is not done by the local target");
        }

        var kinds = template.Select(p => p.Key).Where(k => k is not ("name" or "conditions")).ToList();
        foreach (string kind in kinds.Where(k => !TemplateFields.Contains(k)))
        {
            throw reader.Unsupported($"{pointer}/{kind}", $"the '{kind}' trigger is not run by the local target (it runs k8s, argoWorkflow, log and http triggers)");
        }

        if (kinds.Count != 1)
        {
            throw reader.Error(EtlErrors.SensorInvalid, pointer, $"Trigger template at {reader.Where(pointer)} must have exactly one of k8s, argoWorkflow, log, http (it has {(kinds.Count == 0 ? "none" : string.Join(", ", kinds))}).", "Keep one trigger kind per template.");
        }

        string p = $"{pointer}/{kinds[0]}";
        var spec = reader.Object(template, p, required: true)!;
        switch (kinds[0])
        {
            case "k8s":
                reader.Check(spec, p, K8sFields, new Dictionary<string, string>(StringComparer.Ordinal) { ["patchStrategy"] = "patch operations are not run by the local target", ["liveObject"] = "live-object updates are not run by the local target" });
                reader.Operation(spec, p + "/operation", "create", "the local target creates resources; update, patch and delete of cluster objects are not run");
                return new TriggerAction(TriggerKind.K8s, spec, ReadResource(reader, spec, p), ParseParameters(reader, spec, p + "/parameters"), []);
            case "argoWorkflow":
                reader.Check(spec, p, ArgoWorkflowFields, new Dictionary<string, string>(StringComparer.Ordinal) { ["args"] = "extra argo CLI arguments are not applied by the local target" });
                reader.Operation(spec, p + "/operation", "submit", "the local target submits Workflows; submit-from, resubmit, retry, resume, suspend, terminate and stop act on existing cluster objects");
                return new TriggerAction(TriggerKind.ArgoWorkflow, spec, ReadResource(reader, spec, p), ParseParameters(reader, spec, p + "/parameters"), []);
            case "http":
                reader.Check(spec, p, HttpFields, new Dictionary<string, string>(StringComparer.Ordinal) { ["tls"] = "TLS client settings are not applied by the local target", ["basicAuth"] = "basic auth from secrets is not applied by the local target", ["secureHeaders"] = "headers from secrets are not applied by the local target" });
                reader.String(spec, p + "/url", required: true);
                return new TriggerAction(TriggerKind.Http, spec, null, ParseParameters(reader, spec, p + "/parameters"), ParseParameters(reader, spec, p + "/payload"));
            default:
                reader.Check(spec, p, LogFields);
                return new TriggerAction(TriggerKind.Log, spec, null, [], []);
        }
    }

    private static JsonObject ReadResource(Reader reader, JsonObject spec, string pointer)
    {
        var source = reader.Object(spec, pointer + "/source", required: true)!;
        reader.Check(source, pointer + "/source", SourceFields, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["s3"] = "resources fetched from S3 are not read by the local target",
            ["file"] = "resources from a file in the Sensor pod are not read by the local target",
            ["url"] = "resources fetched from a URL are not read by the local target",
            ["configmap"] = "resources from a ConfigMap are not read by the local target",
            ["git"] = "resources from git are not read by the local target",
        });
        if (source["resource"] is JsonObject resource)
        {
            return resource;
        }

        if (source["inline"] is JsonValue inline && inline.TryGetValue(out string? text))
        {
            var docs = YamlFile.Parse(text, reader.Where(pointer + "/source/inline"));
            if (docs.Count == 1 && YamlFile.ToJson(docs[0].Root) is JsonObject parsed)
            {
                return parsed;
            }
        }

        throw reader.Error(EtlErrors.SensorInvalid, pointer + "/source", $"The trigger source at {reader.Where(pointer + "/source")} needs a resource object or an inline YAML document.", "Put the object under source.resource.");
    }

    private static List<TriggerParameter> ParseParameters(Reader reader, JsonObject owner, string pointer)
    {
        string key = pointer[(pointer.LastIndexOf('/') + 1)..];
        if (!owner.ContainsKey(key))
        {
            return [];
        }

        return [.. reader.Array(owner, pointer).Select((node, i) =>
        {
            string p = $"{pointer}/{i}";
            var obj = reader.AsObject(node, p);
            reader.Check(obj, p, ParameterFields);
            var src = reader.Object(obj, p + "/src", required: true)!;
            reader.Check(src, p + "/src", SourceParameterFields);
            string sp = p + "/src/";
            string? dataTemplate = reader.String(src, sp + "dataTemplate");
            string? contextTemplate = reader.String(src, sp + "contextTemplate");
            if (dataTemplate is not null)
            {
                reader.TemplateSupported(dataTemplate, sp + "dataTemplate");
            }

            if (contextTemplate is not null)
            {
                reader.TemplateSupported(contextTemplate, sp + "contextTemplate");
            }

            var source = new TriggerParameterSource(
                reader.String(src, sp + "dependencyName", required: true)!,
                reader.GjsonPath(src, sp + "contextKey"),
                contextTemplate,
                reader.GjsonPath(src, sp + "dataKey"),
                dataTemplate,
                src["value"] is null ? null : reader.Scalar(src["value"], sp + "value"),
                src["useRawData"] is JsonValue raw && raw.TryGetValue(out bool b) && b);
            string operation = reader.String(obj, p + "/operation") ?? string.Empty;
            if (operation is not ("" or "overwrite" or "append" or "prepend"))
            {
                throw reader.Error(EtlErrors.SensorParameterOperationInvalid, p + "/operation", $"Parameter operation '{operation}' at {reader.Where(p + "/operation")} is not one of append, prepend, overwrite.", "Use append, prepend or overwrite (or leave it out to overwrite).");
            }

            return new TriggerParameter(source, reader.String(obj, p + "/dest") ?? string.Empty, operation, p);
        })];
    }

    /// <summary>Field access with file:line in every error.</summary>
    private sealed class Reader(ManifestDocument document)
    {
        public string Where(string pointer) => document.Where(pointer);

        public EtlException Error(EtlError error, string pointer, string message, string suggestion) =>
            new(error, message, suggestion, Where(pointer));

        public EtlException Unsupported(string pointer, string why) =>
            Error(EtlErrors.LocalUnsupportedField, pointer, $"Sensor {document.Name}: {FieldName(pointer)} at {Where(pointer)} is not supported: {why}.",
                "Remove the field or run this Sensor on the Kubernetes target.");

        /// <summary>Rejects any field not in <paramref name="allowed"/>, with a specific reason where one is known.</summary>
        public void Check(JsonObject obj, string pointer, string[] allowed, Dictionary<string, string>? reasons = null)
        {
            foreach (var (key, _) in obj)
            {
                if (!allowed.Contains(key))
                {
                    string p = pointer + "/" + YamlFile.Escape(key);
                    throw Unsupported(p, reasons is not null && reasons.TryGetValue(key, out string? why) ? why : "the local target does not know this field");
                }
            }
        }

        public JsonObject AsObject(JsonNode? node, string pointer) =>
            node as JsonObject ?? throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} at {Where(pointer)} must be an object.", "Fix the YAML at that line.");

        public JsonObject? Object(JsonObject owner, string pointer, bool required = false)
        {
            var node = owner[Key(pointer)];
            if (node is null)
            {
                return required ? throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} is required (near {Where(pointer)}).", "Add the field.") : null;
            }

            return AsObject(node, pointer);
        }

        public IReadOnlyList<JsonNode?> Array(JsonObject owner, string pointer)
        {
            var node = owner[Key(pointer)];
            return node switch
            {
                null => [],
                JsonArray array => [.. array],
                _ => throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} at {Where(pointer)} must be a list.", "Fix the YAML at that line."),
            };
        }

        public string? String(JsonObject owner, string pointer, bool required = false)
        {
            var node = owner[Key(pointer)];
            if (node is null)
            {
                return required ? throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} is required (near {Where(pointer)}).", "Add the field.") : null;
            }

            string value = Scalar(node, pointer);
            if (required && value.Length == 0)
            {
                throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} at {Where(pointer)} is empty.", "Give it a value.");
            }

            return value;
        }

        /// <summary>A scalar as the string Go's YAML-to-JSON-to-string decoding would give (numbers and bools as written).</summary>
        public string Scalar(JsonNode? node, string pointer) => node switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonValue v => JsonText.Write(v),
            _ => throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} at {Where(pointer)} must be a scalar.", "Fix the YAML at that line."),
        };

        public string? GjsonPath(JsonObject owner, string pointer, bool required = false)
        {
            string? path = String(owner, pointer, required);
            if (path is not null && Paths.GjsonPath.Unsupported(path) is { } why)
            {
                throw Unsupported(pointer, $"'{path}' uses gjson syntax the local target does not implement ({why}; supported: keys, '\\' escapes, indexes, '#' and '#.key')");
            }

            return path;
        }

        public void TemplateSupported(string template, string pointer)
        {
            try
            {
                GoTemplate.Parse(template);
            }
            catch (GoTemplateException ex) when (ex.Unsupported)
            {
                throw Unsupported(pointer, ex.Message);
            }
            catch (GoTemplateException)
            {
                // A template that does not parse falls back to the key or value upstream; the resolver does the same.
            }
        }

        public LogicalOperator Operator(JsonObject owner, string pointer) => String(owner, pointer) switch
        {
            null or "" or "and" => LogicalOperator.And,
            "or" => LogicalOperator.Or,
            var other => throw Error(EtlErrors.SensorInvalid, pointer, $"{FieldName(pointer)} at {Where(pointer)} is '{other}'; it must be 'and' or 'or'.", "Use and or or."),
        };

        public void Operation(JsonObject owner, string pointer, string supported, string why)
        {
            string? operation = String(owner, pointer);
            if (operation is not null && operation.Length > 0 && operation != supported)
            {
                throw Unsupported(pointer, $"operation '{operation}': {why}");
            }
        }

        private static string Key(string pointer) => pointer[(pointer.LastIndexOf('/') + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

        /// <summary>"/spec/dependencies/0/transform" → "spec.dependencies[0].transform".</summary>
        private static string FieldName(string pointer)
        {
            var sb = new System.Text.StringBuilder();
            foreach (string part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                string key = part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    sb.Append('[').Append(key).Append(']');
                }
                else
                {
                    sb.Append(sb.Length > 0 ? "." : string.Empty).Append(key);
                }
            }

            return sb.Length == 0 ? "the document" : sb.ToString();
        }
    }
}
