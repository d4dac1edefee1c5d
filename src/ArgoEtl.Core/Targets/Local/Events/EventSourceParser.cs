using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// Reads an EventSource manifest into its event definitions, per type (minio, webhook, sns, generic, file). Every field
/// is either honoured, knowingly irrelevant locally (endpoints and credentials of in-cluster services, deployment
/// settings), or rejected with <c>LocalUnsupportedField</c> naming it and its file:line — never silently ignored.
/// A source type the local target does not run is <c>LocalUnsupportedEventSourceType</c>.
/// </summary>
public static class EventSourceParser
{
    /// <summary>Spec fields that shape the deployment of the event source pod, not its events.</summary>
    private static readonly HashSet<string> DeploymentFields = new(StringComparer.Ordinal) { "eventBusName", "template", "service", "replicas" };

    private static readonly HashSet<string> FileEventTypes = new(StringComparer.Ordinal) { "CREATE", "WRITE", "REMOVE", "RENAME", "CHMOD" };

    /// <summary>The events of every EventSource among <paramref name="documents"/> (other kinds are skipped).</summary>
    public static IReadOnlyList<EventSourceDefinition> ParseAll(IEnumerable<ManifestDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return [.. documents.Where(d => string.Equals(d.Kind, "EventSource", StringComparison.Ordinal)).SelectMany(Parse)];
    }

    public static IReadOnlyList<EventSourceDefinition> Parse(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!string.Equals(document.Kind, "EventSource", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{document} is not an EventSource.", nameof(document));
        }

        string sourceName = document.Name;
        if (document.Object["spec"] is not JsonObject spec)
        {
            throw Invalid(document, "/spec", "spec", "is missing or not a mapping", "Give the EventSource a spec with at least one event source type.");
        }

        var definitions = new List<EventSourceDefinition>();
        foreach (var (type, value) in spec)
        {
            string pointer = "/spec/" + Projects.YamlFile.Escape(type);
            if (DeploymentFields.Contains(type))
            {
                continue;
            }

            if (value is not JsonObject events)
            {
                throw Invalid(document, pointer, $"spec.{type}", "is not a mapping of event names", "Write each event as a key under the type.");
            }

            foreach (var (eventName, body) in events)
            {
                var fields = new SpecFields(document, $"{pointer}/{Projects.YamlFile.Escape(eventName)}", $"spec.{type}.{eventName}", body);
                definitions.Add(type switch
                {
                    "minio" => ParseMinio(sourceName, eventName, fields),
                    "webhook" => ParseWebhook(sourceName, eventName, fields),
                    "sns" => ParseSns(sourceName, eventName, fields),
                    "generic" => ParseGeneric(sourceName, eventName, fields),
                    "file" => ParseFile(sourceName, eventName, fields),
                    _ => throw new EtlException(EtlErrors.LocalUnsupportedEventSourceType, $"{document.Where(pointer)}: EventSource {sourceName} uses the '{type}' event source, which the local target does not run (it runs minio, webhook, sns, generic and file).",
                        "Run this pipeline on the Kubernetes target, or replace the source with one the local target runs (a webhook or a file source are the usual stand-ins).",
                        document.Where(pointer)),
                });
            }
        }

        // Sensors address an event by EventSource and event name only, so a name may appear under one type only.
        if (definitions.GroupBy(d => d.EventName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            var twice = duplicate.ToList();
            throw new EtlException(EtlErrors.EventSourceInvalid, $"{twice[1].Where}: event name '{duplicate.Key}' is defined twice in EventSource {sourceName} ({twice[0].Type} at {twice[0].Where}, {twice[1].Type} here).",
                "Give each event of an EventSource its own name.", twice[1].Where);
        }

        if (definitions.Count == 0)
        {
            throw Invalid(document, "/spec", "spec", "defines no event", "Add an event under spec.minio, spec.webhook, spec.sns, spec.generic or spec.file.");
        }

        return definitions;
    }

    private static MinioEventDefinition ParseMinio(string sourceName, string eventName, SpecFields f)
    {
        f.Allow("bucket", "endpoint", "region", "insecure", "accessKey", "secretKey", "events", "filter", "metadata", "caCertificate");
        var bucket = f.Child("bucket");
        bucket.Allow("name", "key");
        string bucketName = bucket.RequiredString("name");
        var filter = f.Child("filter", optional: true);
        filter.Allow("prefix", "suffix");
        var events = f.StringList("events");
        if (events.Count == 0)
        {
            throw Invalid(f.Document, f.Pointer + "/events", f.Name + ".events", "is empty: MinIO sends no bucket notification to a listener without event names",
                "List the S3 events to fire on, e.g. events: [s3:ObjectCreated:Put].");
        }

        for (int i = 0; i < events.Count; i++)
        {
            if (!S3EventNames.Known.Contains(events[i]))
            {
                throw Invalid(f.Document, $"{f.Pointer}/events/{i}", $"{f.Name}.events[{i}]", $"'{events[i]}' is not an S3 event name MinIO knows",
                    "Use a name such as s3:ObjectCreated:Put, s3:ObjectCreated:* or s3:ObjectRemoved:Delete.");
            }
        }

        return new MinioEventDefinition(sourceName, eventName, f.Metadata(), f.Where,
            new ObjectKeyFilter(bucketName, filter.String("prefix") ?? string.Empty, filter.String("suffix") ?? string.Empty),
            events, f.String("endpoint"), f.String("region"), f.Bool("insecure"), f.Secret("accessKey"), f.Secret("secretKey"));
    }

    private static WebhookEventDefinition ParseWebhook(string sourceName, string eventName, SpecFields f)
    {
        f.Unsupported("serverCertSecret", "the local target serves webhooks over plain HTTP on the loopback interface", "Remove serverCertSecret/serverKeySecret for local runs (a profile patch can do it).");
        f.Unsupported("serverKeySecret", "the local target serves webhooks over plain HTTP on the loopback interface", "Remove serverCertSecret/serverKeySecret for local runs (a profile patch can do it).");
        f.Unsupported("filter", "event source filter expressions are not evaluated locally", "Move the condition into the Sensor's dependency filters (data/exprs), which the local target evaluates.");
        f.Allow("endpoint", "method", "port", "url", "metadata", "authSecret", "maxPayloadSize");
        var webhook = WebhookContext(f, requireMethod: true);
        return new WebhookEventDefinition(sourceName, eventName, f.Where, webhook);
    }

    private static SnsEventDefinition ParseSns(string sourceName, string eventName, SpecFields f)
    {
        f.Unsupported("filter", "event source filter expressions are not evaluated locally", "Move the condition into the Sensor's dependency filters (data/exprs), which the local target evaluates.");
        f.Allow("webhook", "topicArn", "accessKey", "secretKey", "region", "roleARN", "metadata", "validateSignature", "endpoint");
        var hook = f.Child("webhook");
        hook.Unsupported("serverCertSecret", "the local target serves webhooks over plain HTTP on the loopback interface", "Remove it for local runs (a profile patch can do it).");
        hook.Unsupported("serverKeySecret", "the local target serves webhooks over plain HTTP on the loopback interface", "Remove it for local runs (a profile patch can do it).");
        hook.Allow("endpoint", "method", "port", "url", "metadata", "authSecret", "maxPayloadSize");
        var webhook = WebhookContext(hook, requireMethod: false);
        return new SnsEventDefinition(sourceName, eventName, f.Metadata(), f.Where, webhook, f.RequiredString("topicArn"), f.String("region"), f.String("endpoint"),
            f.String("roleARN"), f.Bool("validateSignature"), f.Secret("accessKey"), f.Secret("secretKey"));
    }

    private static GenericEventDefinition ParseGeneric(string sourceName, string eventName, SpecFields f)
    {
        f.Unsupported("filter", "event source filter expressions are not evaluated locally", "Move the condition into the Sensor's dependency filters (data/exprs), which the local target evaluates.");
        f.Allow("url", "config", "insecure", "jsonBody", "metadata", "authSecret");
        return new GenericEventDefinition(sourceName, eventName, f.Metadata(), f.Where, f.RequiredString("url"), f.String("config") ?? string.Empty,
            f.Bool("insecure"), f.Bool("jsonBody"), f.Secret("authSecret"));
    }

    private static FileEventDefinition ParseFile(string sourceName, string eventName, SpecFields f)
    {
        f.Unsupported("filter", "event source filter expressions are not evaluated locally", "Move the condition into the Sensor's dependency filters (data/exprs), which the local target evaluates.");
        f.Allow("eventType", "watchPathConfig", "polling", "metadata");
        string eventType = f.RequiredString("eventType");
        if (!FileEventTypes.Contains(eventType))
        {
            throw Invalid(f.Document, f.Pointer + "/eventType", f.Name + ".eventType", $"'{eventType}' is not an fsnotify operation",
                "Use CREATE, WRITE, REMOVE, RENAME or CHMOD (upper case, as upstream compares them).");
        }

        var watch = f.Child("watchPathConfig");
        watch.Allow("directory", "path", "pathRegexp");
        string directory = watch.RequiredString("directory");
        string? path = watch.String("path");
        string? pathRegexp = watch.String("pathRegexp");
        if (string.IsNullOrEmpty(path) && string.IsNullOrEmpty(pathRegexp))
        {
            throw Invalid(f.Document, watch.Pointer, watch.Name, "has neither path nor pathRegexp", "Name the file to watch with path, or a pattern with pathRegexp.");
        }

        if (!string.IsNullOrEmpty(pathRegexp))
        {
            try
            {
                _ = new Regex(pathRegexp, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                throw Invalid(f.Document, watch.Pointer + "/pathRegexp", watch.Name + ".pathRegexp", $"is not a valid regular expression ({ex.Message})", "Fix the pattern.");
            }
        }

        return new FileEventDefinition(sourceName, eventName, f.Metadata(), f.Where, eventType, directory, path, pathRegexp, f.Bool("polling"));
    }

    private static WebhookContextSpec WebhookContext(SpecFields f, bool requireMethod)
    {
        string endpoint = f.RequiredString("endpoint");
        if (!endpoint.StartsWith('/'))
        {
            throw Invalid(f.Document, f.Pointer + "/endpoint", f.Name + ".endpoint", $"'{endpoint}' does not start with '/'", "Write the endpoint as a path, e.g. /example.");
        }

        string portText = f.RequiredString("port");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            throw Invalid(f.Document, f.Pointer + "/port", f.Name + ".port", $"'{portText}' is not a port number", "Write the port as a number, e.g. \"12000\".");
        }

        string? method = requireMethod ? f.RequiredString("method") : f.String("method");
        long maxPayload = f.Long("maxPayloadSize") ?? WebhookContextSpec.DefaultMaxPayloadSize;
        return new WebhookContextSpec(port, endpoint, method, f.String("url"), f.Secret("authSecret"), maxPayload, f.Metadata(), f.Where);
    }

    internal static EtlException Invalid(ManifestDocument document, string pointer, string field, string problem, string suggestion) =>
        new(EtlErrors.EventSourceInvalid, $"{document.Where(pointer)}: {field} {problem} (EventSource {document.Name}).", suggestion, document.Where(pointer));

    /// <summary>The fields of one mapping in the spec, read strictly: a field not allowed is an error naming it.</summary>
    private sealed class SpecFields
    {
        private readonly JsonObject? _node;

        public SpecFields(ManifestDocument document, string pointer, string name, JsonNode? node)
        {
            Document = document;
            Pointer = pointer;
            Name = name;
            if (node is not null and not JsonObject)
            {
                throw Invalid(document, pointer, name, "is not a mapping", "Write it as a mapping of fields.");
            }

            _node = node as JsonObject;
        }

        public ManifestDocument Document { get; }

        public string Pointer { get; }

        public string Name { get; }

        public string Where => Document.Where(Pointer);

        public void Allow(params string[] names)
        {
            if (_node is null)
            {
                return;
            }

            foreach (var (key, _) in _node)
            {
                if (!names.Contains(key, StringComparer.Ordinal) && !_unsupported.ContainsKey(key))
                {
                    string pointer = Pointer + "/" + Projects.YamlFile.Escape(key);
                    throw new EtlException(EtlErrors.LocalUnsupportedField, $"{Document.Where(pointer)}: {Name}.{key} is not a field the local target knows for this event source (EventSource {Document.Name}); it would be ignored, so the run stops here.",
                        $"Remove {key} or correct its spelling; the fields known here are: {string.Join(", ", names)}.", Document.Where(pointer));
                }
            }

            foreach (var (key, (reason, suggestion)) in _unsupported)
            {
                if (_node.ContainsKey(key))
                {
                    string pointer = Pointer + "/" + Projects.YamlFile.Escape(key);
                    throw new EtlException(EtlErrors.LocalUnsupportedField, $"{Document.Where(pointer)}: {Name}.{key} cannot be honoured by the local target: {reason} (EventSource {Document.Name}).",
                        suggestion, Document.Where(pointer));
                }
            }
        }

        private readonly Dictionary<string, (string Reason, string Suggestion)> _unsupported = new(StringComparer.Ordinal);

        /// <summary>Registers a field the local target cannot honour; <see cref="Allow"/> reports it when present.</summary>
        public void Unsupported(string name, string reason, string suggestion) => _unsupported[name] = (reason, suggestion);

        public SpecFields Child(string name, bool optional = false)
        {
            JsonNode? child = _node?[name];
            if (child is null && !optional)
            {
                throw Invalid(Document, Pointer, $"{Name}.{name}", "is missing", $"Add {name}.");
            }

            return new SpecFields(Document, Pointer + "/" + Projects.YamlFile.Escape(name), $"{Name}.{name}", child);
        }

        public string? String(string name)
        {
            JsonNode? node = _node?[name];
            return node switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
                _ => throw Invalid(Document, Pointer + "/" + Projects.YamlFile.Escape(name), $"{Name}.{name}", "is not a string", "Write it as a plain value."),
            };
        }

        public string RequiredString(string name)
        {
            string? value = String(name);
            return string.IsNullOrEmpty(value) ? throw Invalid(Document, Pointer, $"{Name}.{name}", "is missing or empty", $"Set {name}.") : value;
        }

        public bool Bool(string name)
        {
            JsonNode? node = _node?[name];
            return node switch
            {
                null => false,
                JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
                JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
                _ => throw Invalid(Document, Pointer + "/" + Projects.YamlFile.Escape(name), $"{Name}.{name}", "is not true or false", "Write true or false (unquoted)."),
            };
        }

        public long? Long(string name)
        {
            string? text = String(name);
            if (text is null)
            {
                return null;
            }

            return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value > 0
                ? value
                : throw Invalid(Document, Pointer + "/" + Projects.YamlFile.Escape(name), $"{Name}.{name}", $"'{text}' is not a positive whole number", "Write a number of bytes.");
        }

        public List<string> StringList(string name)
        {
            JsonNode? node = _node?[name];
            if (node is null)
            {
                return [];
            }

            if (node is not JsonArray array)
            {
                throw Invalid(Document, Pointer + "/" + name, $"{Name}.{name}", "is not a list", "Write it as a YAML list.");
            }

            var list = new List<string>();
            for (int i = 0; i < array.Count; i++)
            {
                list.Add(array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String
                    ? v.GetValue<string>()
                    : throw Invalid(Document, $"{Pointer}/{name}/{i}", $"{Name}.{name}[{i}]", "is not a string", "Write each entry as a string."));
            }

            return list;
        }

        public Dictionary<string, string> Metadata()
        {
            var fields = Child("metadata", optional: true);
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (fields._node is null)
            {
                return result;
            }

            foreach (var (key, _) in fields._node)
            {
                result[key] = fields.String(key) ?? string.Empty;
            }

            return result;
        }

        public SecretKeyReference? Secret(string name)
        {
            if (_node?[name] is null)
            {
                return null;
            }

            var selector = Child(name);
            selector.Allow("name", "key", "optional");
            return new SecretKeyReference(selector.RequiredString("name"), selector.RequiredString("key"), selector.Bool("optional"), selector.Where);
        }
    }
}
