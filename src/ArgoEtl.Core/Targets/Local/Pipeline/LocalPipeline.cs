using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ArgoEtl.Core.Runs;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Sensors;
using ArgoEtl.Core.Targets.Local.Steps;
using ArgoEtl.Core.Targets.Local.Store;
using ArgoEtl.Core.Targets.Local.Workflows;

namespace ArgoEtl.Core.Targets.Local.Pipeline;

/// <summary>
/// One project's pipeline running on this machine: the embedded object store, the EventSources, the Sensors, and a
/// Workflow run for every trigger that fires. Everything is read and checked before anything starts, so a field the
/// local target does not implement stops it with file:line instead of being ignored. Events come from the running
/// sources (the dev loop) or are pushed in (Invoke-EtlPipeline); runs are reported as they finish.
/// </summary>
public sealed class LocalPipeline : IAsyncDisposable
{
    private readonly LocalPipelineOptions _options;
    private readonly LocalObjectStore _store;
    private readonly LocalEventSourceSet _sources;
    private readonly IReadOnlyList<EventSourceDefinition> _definitions;
    private readonly IReadOnlyList<(SensorDefinition Sensor, SensorSession Session)> _sensors;
    private readonly LocalWorkflowRunner _runner;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task<EtlWorkflowRun>, byte> _running = new();
    private readonly object _dispatchLock = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private LocalPipeline(LocalPipelineOptions options, LocalObjectStore store, LocalResources resources, IReadOnlyList<EventSourceDefinition> definitions,
        IReadOnlyList<SensorDefinition> sensors, IReadOnlyDictionary<string, ManifestDocument> templates)
    {
        _options = options;
        _store = store;
        Resources = resources;
        _definitions = definitions;
        _sensors = [.. sensors.Select(s => (s, new SensorSession(new SensorEvaluator(s))))];
        var hostImages = options.Images.Values.Where(i => i.HostCommand is not null)
            .ToDictionary(i => i.Reference, i => new HostImage(i.HostCommand!), StringComparer.Ordinal);
        _runner = new LocalWorkflowRunner(new LocalWorkflowContext
        {
            RunsDirectory = Path.Combine(options.StateDirectory, "runs"),
            StepRunner = ImageStepDispatcher.Create(hostImages),
            WorkflowTemplates = templates,
            ArtifactRepository = new S3ArtifactRepository(store.Endpoint, resources.ArtifactBucket, store.Credentials.AccessKeyId, store.Credentials.SecretAccessKey, store.Region),
            Values = new ResourceValues(resources),
            AddressRewriter = resources.RewriteAddresses,
            LogSink = options.StepLog,
        });
        _sources = new LocalEventSourceSet(definitions, DispatchAsync, new LocalEventSourceOptions
        {
            BaseDirectory = options.StateDirectory,
            Secrets = reference => resources.Secret(reference.Name, reference.Key, $"{reference.Where}"),
            StoreEndpoint = store.Endpoint.ToString().TrimEnd('/'),
            StoreRegion = store.Region,
            Verbose = options.Verbose,
        });
    }

    /// <summary>Raised when a Workflow run ends (whatever its phase).</summary>
    public event EventHandler<EtlWorkflowRun>? RunFinished;

    public Uri ObjectStoreEndpoint => _store.Endpoint;

    public string BucketsDirectory => _store.BucketsDirectory;

    public LocalResources Resources { get; }

    public IReadOnlyList<EventSourceDefinition> EventSources => _definitions;

    /// <summary>Reads and checks the manifests, starts the store (and with StartEventSources the sources).</summary>
    public static async Task<LocalPipeline> StartAsync(IReadOnlyList<ManifestDocument> documents, LocalPipelineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);

        // Everything that can be wrong with the manifests is found before a port is opened.
        var (definitions, sensors, templates) = Read(documents);
        foreach (var sensor in sensors)
        {
            foreach (var dependency in sensor.Dependencies.Where(dep => !definitions.Any(d => d.EventSourceName == dep.EventSourceName && d.EventName == dep.EventName)))
            {
                options.Verbose?.Invoke($"Sensor {sensor.Name}: dependency '{dependency.Name}' waits for {dependency.EventSourceName}/{dependency.EventName}, which no EventSource of the project defines.");
            }
        }

        var resources = new LocalResources();
        resources.AddManifests(documents);
        var credentials = LocalCredentials.LoadOrCreate(options.StateDirectory);
        var store = await LocalObjectStore.StartAsync(new LocalObjectStoreOptions(options.StateDirectory) { Credentials = credentials, Port = options.ObjectStorePort }, cancellationToken).ConfigureAwait(false);
        try
        {
            resources.AddObjectStore(store.Endpoint, credentials.AccessKeyId, credentials.SecretAccessKey);
            var pipeline = new LocalPipeline(options, store, resources, definitions, sensors, templates);
            store.EnsureBucket(resources.ArtifactBucket);
            foreach (string bucket in pipeline._sources.Buckets)
            {
                store.EnsureBucket(bucket);
            }

            store.Diagnostic += (_, line) => options.Verbose?.Invoke(line);

            // Where the store listens, for any S3 client (aws --endpoint-url "$(cat store-endpoint)"); the
            // credentials are in secrets/. Removed when the pipeline stops.
            File.WriteAllText(Path.Combine(options.StateDirectory, "store-endpoint"), store.Endpoint.ToString().TrimEnd('/') + "\n");
            if (options.StartEventSources)
            {
                store.ObjectChanged += (_, notification) => pipeline.Track(pipeline._sources.OnObjectStoreNotificationAsync(notification, pipeline._stopping.Token).AsTask());
                await pipeline._sources.StartAsync(cancellationToken).ConfigureAwait(false);
            }

            return pipeline;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads and checks the manifests the way StartAsync does, without starting anything (a dev loop checks an edit before it stops what runs).</summary>
    public static void Check(IReadOnlyList<ManifestDocument> documents) => Read(documents);

    private static (IReadOnlyList<EventSourceDefinition> Definitions, List<SensorDefinition> Sensors, Dictionary<string, ManifestDocument> Templates) Read(IReadOnlyList<ManifestDocument> documents)
    {
        var definitions = EventSourceParser.ParseAll(documents.Where(d => d.Kind == "EventSource"));
        var sensors = documents.Where(d => d.Kind == "Sensor").Select(SensorParser.Parse).ToList();
        var templates = documents.Where(d => d.Kind == "WorkflowTemplate").ToDictionary(d => d.Name, StringComparer.Ordinal);
        return (definitions, sensors, templates);
    }

    /// <summary>
    /// Pushes one event through the Sensors as its EventSource would have shaped it and returns the runs it started,
    /// once they have finished.
    /// </summary>
    public async Task<IReadOnlyList<EtlWorkflowRun>> InjectAsync(LocalEvent localEvent, CancellationToken cancellationToken)
    {
        var started = Dispatch(localEvent);
        using var link = cancellationToken.Register(() => _stopping.Cancel());
        return await Task.WhenAll(started).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a file into the store where the EventSource's filter expects it (minio: its bucket and prefix; sns: the
    /// bucket given) and fires the event that put makes: a MinIO record, or the S3 record inside an SNS envelope.
    /// </summary>
    public async Task<IReadOnlyList<EtlWorkflowRun>> PutFileAsync(string path, EventSourceDefinition definition, string? bucket, string? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!File.Exists(path))
        {
            throw new EtlException("InputFileNotFound", EtlErrorKind.NotFound, $"The input file {path} does not exist.", "Give the path of a file to put into the store.", path);
        }

        var filter = InjectedEvents.ObjectFilter(definition);
        bucket ??= filter?.Bucket ?? throw new EtlException("InputBucketRequired", EtlErrorKind.InvalidArgument,
            $"{definition} does not name a bucket (an sns event's bucket is set in S3, not in the EventSource).", "Give the bucket with -Bucket.", definition.Where);
        key ??= filter?.KeyFor(path) ?? Path.GetFileName(path);
        _store.EnsureBucket(bucket);
        string etag = await PutObjectAsync(bucket, key, path, cancellationToken).ConfigureAwait(false);
        var localEvent = InjectedEvents.ForObject(definition, bucket, key, new FileInfo(path).Length, etag, "text/csv", null,
            new LocalEventSourceOptions { StoreEndpoint = _store.Endpoint.ToString().TrimEnd('/'), StoreRegion = _store.Region });
        return await InjectAsync(localEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Per trigger of every Sensor that depends on the event: the filters' verdicts and the resolved resource, without
    /// starting or running anything (argo-events#3339). Needs only the manifests.
    /// </summary>
    public static IReadOnlyList<TriggerEvaluation> Evaluate(IReadOnlyList<ManifestDocument> documents, LocalEvent localEvent)
    {
        ArgumentNullException.ThrowIfNull(localEvent);
        var (_, sensors, _) = Read(documents);
        return [.. sensors.Where(s => s.Dependencies.Any(d => d.Accepts(localEvent))).SelectMany(s => new SensorEvaluator(s).Evaluate([localEvent]))];
    }

    /// <summary>The events the manifests' EventSources define, read and checked as StartAsync reads them.</summary>
    public static IReadOnlyList<EventSourceDefinition> EventSourcesOf(IReadOnlyList<ManifestDocument> documents) => Read(documents).Definitions;

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sources.DisposeAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Keys).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or EtlException)
        {
            // Stopping: runs were cancelled (their steps killed, run.json written); nothing more to report.
        }

        await _store.DisposeAsync().ConfigureAwait(false);
        File.Delete(Path.Combine(_options.StateDirectory, "store-endpoint"));
        _http.Dispose();
        _stopping.Dispose();
    }


    private ValueTask DispatchAsync(LocalEvent localEvent, CancellationToken cancellationToken)
    {
        Dispatch(localEvent);
        return ValueTask.CompletedTask;
    }

    /// <summary>Offers the event to every Sensor; starts a run per Workflow a firing trigger creates.</summary>
    private List<Task<EtlWorkflowRun>> Dispatch(LocalEvent localEvent)
    {
        var started = new List<Task<EtlWorkflowRun>>();
        bool matched = false;
        lock (_dispatchLock)
        {
            foreach (var (sensor, session) in _sensors)
            {
                var offer = session.Offer(localEvent);
                matched |= offer.Dependencies.Count > 0;
                foreach (var dependency in offer.Dependencies.Where(d => !d.Passed))
                {
                    _options.Verbose?.Invoke($"Sensor {sensor.Name}: dependency '{dependency.Dependency}' did not pass: {dependency.Reason}");
                }

                foreach (var trigger in offer.Fired)
                {
                    if (trigger.Error is { } error)
                    {
                        _options.TriggerFailed?.Invoke(error);
                        continue;
                    }

                    if (Act(sensor, trigger) is { } run)
                    {
                        started.Add(run);
                    }
                }
            }
        }

        if (!matched)
        {
            _options.Verbose?.Invoke($"Event {localEvent.EventSourceName}/{localEvent.EventName} matched no Sensor dependency.");
        }

        return started;
    }

    private Task<EtlWorkflowRun>? Act(SensorDefinition sensor, TriggerEvaluation trigger)
    {
        var definition = sensor.Triggers.First(t => t.Name == trigger.Trigger);
        string origin = $"Sensor/{sensor.Name} trigger {trigger.Trigger}";
        switch (trigger.Kind)
        {
            case TriggerKind.K8s or TriggerKind.ArgoWorkflow when trigger.Resource is { } resource && (string?)resource["kind"] == "Workflow":
                string part = trigger.Kind == TriggerKind.K8s ? "k8s" : "argoWorkflow";
                var source = new WorkflowSource(resource, sensor.Document, $"{definition.Pointer}/template/{part}/source/resource", origin);
                var run = Task.Run(() => _runner.RunAsync(source, _stopping.Token));
                Track(run);
                _ = run.ContinueWith(t => RunFinished?.Invoke(this, t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

                // A Workflow the runner refuses (an unsupported field after parameters applied) is that trigger's error;
                // InjectAsync rethrows it to its caller, and a running dev loop hears of it here.
                if (_options.StartEventSources)
                {
                    _ = run.ContinueWith(t => _options.TriggerFailed?.Invoke(t.Exception?.GetBaseException() as EtlException
                        ?? new EtlException("LocalRunFailed", EtlErrorKind.Internal, $"{origin}: the Workflow could not run: {t.Exception?.GetBaseException().Message}", null, origin, t.Exception)),
                        CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }

                return run;
            case TriggerKind.K8s when trigger.Resource is { } other:
                RecordObject(other, origin);
                return null;
            case TriggerKind.Log:
                _options.Verbose?.Invoke($"{origin}: {trigger.Resource?.ToJsonString()}");
                return null;
            case TriggerKind.Http when trigger.Resource is { } request:
                Track(SendAsync(request, origin));
                return null;
            default:
                return null;
        }
    }

    /// <summary>A k8s trigger that creates something other than a Workflow: the object is kept under objects/ for inspection.</summary>
    private void RecordObject(JsonObject resource, string origin)
    {
        string folder = Path.Combine(_options.StateDirectory, "objects");
        Directory.CreateDirectory(folder);
        string name = (string?)resource["metadata"]?["name"] ?? (string?)resource["metadata"]?["generateName"] + Guid.NewGuid().ToString("N")[..5];
        string file = Path.Combine(folder, $"{resource["kind"]}-{name}.json");
        File.WriteAllText(file + ".tmp", resource.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
        File.Move(file + ".tmp", file, overwrite: true);
        _options.Verbose?.Invoke($"{origin}: created {resource["kind"]}/{name} (recorded in {file}).");
    }

    private async Task SendAsync(JsonObject request, string origin)
    {
        using var message = new HttpRequestMessage(new HttpMethod((string?)request["method"] ?? "POST"), (string?)request["url"]);
        if (request["body"] is { } body)
        {
            message.Content = new StringContent(body is JsonValue v && v.TryGetValue(out string? text) ? text : body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in request["headers"] as JsonObject ?? [])
        {
            message.Headers.TryAddWithoutValidation(name, value?.ToString());
        }

        try
        {
            using var response = await _http.SendAsync(message, _stopping.Token).ConfigureAwait(false);
            _options.Verbose?.Invoke($"{origin}: {message.Method} {ArgoEtl.Etl.Storage.UrlRedaction.Redact(message.RequestUri)} answered {(int)response.StatusCode}.");
        }
        catch (HttpRequestException ex)
        {
            _options.TriggerFailed?.Invoke(new EtlException("HttpTriggerFailed", EtlErrorKind.Connection,
                $"{origin}: {message.Method} {ArgoEtl.Etl.Storage.UrlRedaction.Redact(message.RequestUri)} failed: {ex.Message}", "Check that the trigger's url answers.", origin, ex));
        }
    }

    private void Track(Task task)
    {
        if (task is Task<EtlWorkflowRun> run)
        {
            _running.TryAdd(run, 0);
            _ = run.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return;
        }

        _ = task.ContinueWith(t => _options.Verbose?.Invoke($"Event dispatch failed: {t.Exception?.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private async Task<string> PutObjectAsync(string bucket, string key, string path, CancellationToken cancellationToken)
    {
        using var client = S3ClientFactory.Create(new AwsConnection
        {
            EndpointUrl = _store.Endpoint,
            Region = _store.Region,
            Credentials = new BasicAWSCredentials(_store.Credentials.AccessKeyId, _store.Credentials.SecretAccessKey),
        });
        var response = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = path, ContentType = "text/csv", UseChunkEncoding = false }, cancellationToken).ConfigureAwait(false);
        return response.ETag.Trim('"');
    }

    /// <summary>The workflow runner's view of the local Secrets and ConfigMaps.</summary>
    private sealed class ResourceValues(LocalResources resources) : IClusterValueResolver
    {
        public string? Secret(string name, string key) => resources.TrySecret(name, key, out string value) ? value : null;

        public string? ConfigMap(string name, string key) => resources.TryConfigMap(name, key, out string value) ? value : null;

        public IReadOnlyDictionary<string, string>? SecretData(string name) => resources.SecretData(name);

        public IReadOnlyDictionary<string, string>? ConfigMapData(string name) => resources.ConfigMapData(name);
    }
}
