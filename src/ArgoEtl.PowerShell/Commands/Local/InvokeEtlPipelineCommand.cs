using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Pipeline;
using ArgoEtl.Core.Targets.Local.Sensors;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Local;

/// <summary>
/// <para type="synopsis">Runs a pipeline on this machine without a cluster: pushes one event through its Sensors and returns the Workflow runs it triggered.</para>
/// <para type="description">Builds the profile's artifacts for the local target (a .NET project is published and its steps run as host processes;
/// a Dockerfile is built with buildah and its steps run in a container), renders the manifests with those images, starts the embedded object store
/// (state in -StateDirectory: buckets/, secrets/, runs/), and then either puts -InputFile into the store where the EventSource's filter expects it and
/// fires the event that put makes (a MinIO record; for an sns EventSource the S3 record inside an SNS envelope), or pushes -Data as the named
/// EventSource would have shaped it (for a webhook, -Data is the request body). The Sensors' filters and trigger parameters are applied as Argo Events
/// does, each Workflow a trigger creates runs to completion, and the runs are returned as EtlWorkflowRun objects. Step log lines go to the information
/// stream (tag 'log'). With -DryRun nothing runs: per trigger, whether each dependency's filters passed and the resolved resource are returned.
/// A manifest field the local target does not implement stops the run before it starts, naming the field and its file:line.</para>
/// </summary>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json | Invoke-EtlPipeline -InputFile ./examples/data/scores.csv</code>
/// <para>Puts scores.csv under the minio EventSource's input prefix, runs the Workflow the Sensor creates, and returns its run.</para>
/// </example>
/// <example>
/// <code>Invoke-EtlPipeline -Path ./my-pipeline -EventSource webhook -EventName csv -Data @{ bucket = 'etl'; key = 'input/a.csv' } -DryRun</code>
/// <para>Shows whether the Sensor's filters pass for that webhook body and what its trigger parameters resolve to, without running anything.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Invoke, "EtlPipeline", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(EtlWorkflowRun), typeof(TriggerEvaluation))]
public sealed class InvokeEtlPipelineCommand : ProfileCmdlet
{
    /// <summary>
    /// <para type="description">A CSV (or any file) to put into the local store under the EventSource's bucket and filter prefix; the put fires the minio (or sns) event.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? InputFile { get; set; }

    /// <summary>
    /// <para type="description">The event's data as the EventSource receives it: an object, a hashtable or a JSON string (for a webhook, the request body; for generic, the payload).</para>
    /// </summary>
    [Parameter]
    public object? Data { get; set; }

    /// <summary>
    /// <para type="description">The EventSource's name (metadata.name). Needed with -Data, and with -InputFile when the project has more than one minio or sns EventSource.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EventSource { get; set; }

    /// <summary>
    /// <para type="description">The event's name under the EventSource's spec (e.g. 'put'); needed when the EventSource defines more than one.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EventName { get; set; }

    /// <summary>
    /// <para type="description">With -InputFile: the bucket to put the file into (default: the minio EventSource's bucket; required for sns).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Bucket { get; set; }

    /// <summary>
    /// <para type="description">With -InputFile: the object key (default: the filter's prefix, the file's name and the filter's suffix).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Key { get; set; }

    /// <summary>
    /// <para type="description">Where the local target keeps its state (buckets/, secrets/, runs/). Default: .argoetl/local in the project folder.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StateDirectory { get; set; }

    /// <summary>
    /// <para type="description">Evaluate only: per trigger, each dependency's filter verdicts and the resolved resource (argo-events#3339); nothing is built, stored or run.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter DryRun { get; set; }

    protected override string SkaffoldCommand => "run";

    protected override void ProcessRecord()
    {
        try
        {
            if ((InputFile is null) == (Data is null))
            {
                throw new EtlException(EtlErrors.PipelineInputMissing, "Give either -InputFile or -Data (with -EventSource), not both and not neither.",
                    "Use -InputFile ./data.csv to fire the store's event, or -EventSource name -EventName name -Data body to push an event.");
            }

            var (profiles, warnings) = ResolveProfiles();
            foreach (var warning in warnings)
            {
                WriteWarning(warning.ToString());
            }

            string? input = InputFile is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(InputFile);
            JsonNode? data = Data is null ? null : ToJson(Data);
            foreach (var profile in profiles)
            {
                string state = StateDirectory is null ? LocalProject.DefaultStateDirectory(profile) : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StateDirectory);
                string what = input is null ? $"event {EventSource}/{EventName}" : input;
                if (!DryRun && !ShouldProcess($"{profile.Name} ({profile.ProjectDirectory}) on the local target, state in {state}", $"Run the pipeline for {what}"))
                {
                    continue;
                }

                var results = RunWithProgress<IReadOnlyList<object>, LocalReport>((progress, ct) => RunAsync(profile, state, input, data, progress, ct), Report);
                WriteObject(results, enumerateCollection: true);
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }

    private async Task<IReadOnlyList<object>> RunAsync(Core.Projects.EtlProfile profile, string state, string? input, JsonNode? data, IProgress<LocalReport> progress, CancellationToken ct)
    {
        var report = new SynchronousProgress<DevEvent>(e => progress.Report(new LocalReport(e.Phase, e.Message, null)));
        if (DryRun)
        {
            // Nothing is built, stored or run: the manifests rendered with the artifacts' bare names are enough to
            // evaluate the Sensors.
            var rendered = await new SkaffoldManifestRenderer(new ProjectContext("render")).RenderAsync(profile, new Dictionary<string, EtlImage>(), report, ct).ConfigureAwait(false);
            var manifests = rendered.Select(r => r.ToDocument()).ToList();
            var chosen = PickEventSource(LocalPipeline.EventSourcesOf(manifests), input is not null);
            var localEvent = input is null ? InjectedEvents.FromData(chosen, data) : DryRunObjectEvent(chosen, input);
            return [.. LocalPipeline.Evaluate(manifests, localEvent)];
        }

        var (documents, images) = await LocalProject.PrepareAsync(profile, state, report, ct).ConfigureAwait(false);
        var options = new LocalPipelineOptions
        {
            StateDirectory = state,
            Images = images,
            StepLog = (node, line) => progress.Report(new LocalReport("log", $"[{node}] {line}", null)),
            Verbose = line => progress.Report(new LocalReport("verbose", line, null)),
            TriggerFailed = error => progress.Report(new LocalReport("error", error.Message, error)),
        };
        await using var pipeline = await LocalPipeline.StartAsync(documents, options, ct).ConfigureAwait(false);
        var definition = PickEventSource(pipeline.EventSources, input is not null);
        string source = $"{definition.Type} event {definition.EventSourceName}/{definition.EventName} ({definition.Where})";
        progress.Report(new LocalReport("run", input is null ? $"Pushing the {source}" : $"Putting {System.IO.Path.GetFileName(input)} into the local store for the {source}", null));
        var runs = input is null
            ? await pipeline.InjectAsync(InjectedEvents.FromData(definition, data), ct).ConfigureAwait(false)
            : await pipeline.PutFileAsync(input, definition, Bucket, Key, ct).ConfigureAwait(false);
        if (runs.Count == 0)
        {
            progress.Report(new LocalReport("warning", $"The {source} started no Workflow (no Sensor trigger fired; -Verbose says why).", null));
        }

        return [.. runs];
    }

    // The event the put would make, without putting anything (a dry run leaves the store as it was).
    private LocalEvent DryRunObjectEvent(EventSourceDefinition definition, string input)
    {
        var filter = InjectedEvents.ObjectFilter(definition);
        string bucket = Bucket ?? filter?.Bucket ?? "bucket";
        string key = Key ?? filter?.KeyFor(input) ?? System.IO.Path.GetFileName(input);
        return InjectedEvents.ForObject(definition, bucket, key, File.Exists(input) ? new FileInfo(input).Length : 0, "00000000000000000000000000000000");
    }

    private EventSourceDefinition PickEventSource(IReadOnlyList<EventSourceDefinition> all, bool forFile)
    {
        if (EventSource is not null && EventName is not null)
        {
            return InjectedEvents.Find(all, EventSource, EventName);
        }

        var candidates = all.Where(d => (EventSource is null || d.EventSourceName == EventSource) && (EventName is null || d.EventName == EventName)
            && (!forFile || d is MinioEventDefinition or SnsEventDefinition)).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        string listed = string.Join(", ", all.Select(d => $"{d.EventSourceName}/{d.EventName} ({d.Type})"));
        throw new EtlException(candidates.Count == 0 ? EtlErrors.PipelineEventSourceNotFound : EtlErrors.PipelineEventSourceAmbiguous,
            candidates.Count == 0
                ? $"No EventSource event{(forFile ? " that fires for a stored object (minio, sns)" : string.Empty)} matches{(EventSource is null ? string.Empty : $" -EventSource {EventSource}")}{(EventName is null ? string.Empty : $" -EventName {EventName}")}; the project has: {(listed.Length == 0 ? "none" : listed)}."
                : $"More than one EventSource event fits: {string.Join(", ", candidates.Select(d => $"{d.EventSourceName}/{d.EventName}"))}.",
            "Name the event with -EventSource and -EventName.");
    }

    private void Report(LocalReport report)
    {
        switch (report.Kind)
        {
            case "log":
                WriteInformation(new InformationRecord(report.Message, "Invoke-EtlPipeline"), ["log"]);
                break;
            case "error" when report.Item is EtlException ex:
                WriteError(ErrorRecords.From(ex));
                break;
            case "warning":
                WriteWarning(report.Message);
                break;
            default:
                WriteVerbose($"[{report.Kind}] {report.Message}");
                break;
        }
    }

    /// <summary>PowerShell values (hashtables, custom objects, arrays, JSON text) as the JSON an event source would receive.</summary>
    internal static JsonNode? ToJson(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case PSObject ps when ps.BaseObject is PSCustomObject:
                var fromProperties = new JsonObject();
                foreach (var property in ps.Properties)
                {
                    fromProperties[property.Name] = ToJson(property.Value);
                }

                return fromProperties;
            case PSObject ps:
                return ToJson(ps.BaseObject);
            case string text:
                try
                {
                    return JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    return JsonValue.Create(text);
                }

            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[entry.Key.ToString() ?? string.Empty] = ToJson(entry.Value);
                }

                return obj;
            case IEnumerable items:
                var array = new JsonArray();
                foreach (object? item in items)
                {
                    array.Add(ToJson(item));
                }

                return array;
            default:
                return JsonSerializer.SerializeToNode(value, value.GetType());
        }
    }

    private sealed record LocalReport(string Kind, string Message, object? Item);

    /// <summary>Reports on the caller's thread right away (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
