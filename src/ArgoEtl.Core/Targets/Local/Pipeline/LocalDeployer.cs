using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Rendering;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Build;

namespace ArgoEtl.Core.Targets.Local.Pipeline;

/// <summary>
/// The dev loop's deployer for the local target: "deploying" starts the project's pipeline on this machine (the
/// embedded store, the EventSources listening, the Sensors waiting), and a redeploy after an edit replaces it with
/// one built from the new manifests — the state folder (buckets, runs) stays, so a restart continues where it was.
/// Cleanup stops the sources and kills running steps. Runs and step log lines are reported as they happen.
/// </summary>
public sealed class LocalDeployer(string stateDirectory, LocalArtifactBuilder builder) : IDeployer, IAsyncDisposable
{
    private LocalPipeline? _pipeline;
    private IReadOnlyList<AppliedObject> _deployed = [];

    public IReadOnlyList<string> Dependencies => [];

    /// <summary>The running pipeline (null before the first deploy and after cleanup).</summary>
    public LocalPipeline? Pipeline => _pipeline;

    public async Task<IReadOnlyList<AppliedObject>> DeployAsync(IReadOnlyList<RenderedObject> objects, IReadOnlyList<EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(progress);
        var options = new LocalPipelineOptions
        {
            StateDirectory = stateDirectory,
            Images = builder.Built,
            StartEventSources = true,
            StepLog = (node, line) => progress.Report(new DevEvent("logs", $"[{node}] {line}")),
            Verbose = line => progress.Report(new DevEvent("status", line)),
            TriggerFailed = error => progress.Report(new DevEvent("error", error.Message, error)),
        };

        // Checked before the old one stops, so a broken edit leaves the running pipeline as it was; then the old one
        // stops first, because the new one needs the same ports (webhook sources listen where the spec says).
        var documents = objects.Select(o => o.ToDocument()).ToList();
        LocalPipeline.Check(documents);
        if (_pipeline is { } old)
        {
            _pipeline = null;
            await old.DisposeAsync().ConfigureAwait(false);
        }

        var pipeline = await LocalPipeline.StartAsync(documents, options, cancellationToken).ConfigureAwait(false);
        pipeline.RunFinished += (_, run) => progress.Report(new DevEvent("run", $"Workflow {run.Name}: {run.Phase}{(run.Message is null ? string.Empty : " — " + run.Message)}", run));
        _pipeline = pipeline;
        string action = _deployed.Count == 0 ? "started" : "restarted";
        _deployed = [.. objects.Select(o => new AppliedObject { Kind = o.Manifest.Kind, ApiVersion = o.Manifest.ApiVersion, Name = o.Manifest.Name, Namespace = o.Manifest.Namespace, Action = action, Component = "Local" })];
        progress.Report(new DevEvent("deploy", $"Local pipeline {action}: store at {pipeline.ObjectStoreEndpoint} over {pipeline.BucketsDirectory}; drop a file into a bucket folder or put it with any S3 client."));
        return _deployed;
    }

    public async Task<IReadOnlyList<AppliedObject>> CleanupAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        if (_pipeline is { } pipeline)
        {
            _pipeline = null;
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }

        var stopped = _deployed.Select(o => new AppliedObject { Kind = o.Kind, ApiVersion = o.ApiVersion, Name = o.Name, Namespace = o.Namespace, Action = "stopped", Component = "Local" }).ToList();
        _deployed = [];
        return stopped;
    }

    public async ValueTask DisposeAsync()
    {
        if (_pipeline is { } pipeline)
        {
            _pipeline = null;
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }
    }
}
