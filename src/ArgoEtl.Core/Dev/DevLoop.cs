using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// The 'skaffold dev' loop for one profile, over one seam per phase. The first cycle builds every artifact; then each
/// batch of file changes (a <see cref="ChangeSet"/>) drives one cycle — build what changed → render → before hooks →
/// deploy → after hooks → status check — so a source change rebuilds only its artifact, a manifest change renders and
/// deploys again without a build, and a skaffold.yaml change reloads the profile (new artifacts, manifests, hooks and
/// deployer) first. A failing phase is reported as an "error" event and the loop waits for the next change; an artifact
/// whose build failed is built again in the next cycle. Log tailing, Workflow runs and port-forwards start after the
/// first successful deploy (again after a reload, for the new deployer), before the status check. When the loop ends —
/// cancellation (Ctrl+C) included, even mid-phase — it runs cleanup exactly once: every deployer it made removes what it
/// deployed (unless <see cref="DevOptions.Cleanup"/> is off), then the cleanup hooks run. With
/// <see cref="DevOptions.Once"/> it runs one cycle and returns, leaving everything deployed.
/// </summary>
public sealed class DevLoop
{
    private readonly DevPhases _phases;
    private readonly DevOptions _options;
    private readonly IProgress<DevEvent> _progress;
    private readonly Dictionary<string, EtlImage> _images = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly List<IDeployer> _deployers = [];
    private readonly List<(string What, Func<Task> Stop)> _running = [];
    private EtlProfile _profile;
    private IDeployer? _deployer;
    // Each on its own: a port-forward that fails to start is tried again next cycle, and the log tailing and run
    // watching that did start are not started a second time beside their first watches.
    private bool _logsStarted;
    private bool _runsStarted;
    private bool _forwardsStarted;
    private int _started;

    private readonly DevSession _session;

    /// <param name="session">What hooks see and set (template values for rendering); a new one when null.</param>
    public DevLoop(EtlProfile profile, DevPhases phases, DevOptions options, IProgress<DevEvent> progress, DevSession? session = null)
    {
        _session = session ?? new DevSession(profile ?? throw new ArgumentNullException(nameof(profile)));
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(phases);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        _profile = profile;
        _phases = phases;
        _options = options;
        _progress = progress;
    }

    /// <summary>The profile the loop works on now (the reloaded one after a skaffold.yaml change).</summary>
    public EtlProfile Profile => _profile;

    /// <summary>What hooks see and set.</summary>
    public DevSession Session => _session;

    /// <summary>The images of the last successful builds, by artifact image name.</summary>
    public IReadOnlyDictionary<string, EtlImage> Images => _images;

    /// <summary>Whether the last cycle's phases all succeeded (with <see cref="DevOptions.Once"/>: whether the deploy did).</summary>
    public bool Succeeded { get; private set; }

    /// <summary>Runs until <paramref name="cancellationToken"/> is canceled (then throws OperationCanceledException, after cleanup).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A dev loop runs once; make a new one.");
        }

        try
        {
            UseDeployer(_phases.Deployer(_profile));
            foreach (var (artifact, image) in _options.Prebuilt)
            {
                _images[artifact] = image;
            }

            _pending.UnionWith(_profile.Artifacts.Select(a => a.ImageName));
            _phases.Changes.Watch(WatchList());
            Succeeded = await CycleAsync(cancellationToken).ConfigureAwait(false);
            if (_options.Once)
            {
                _progress.Report(new DevEvent("deploy", Succeeded
                    ? $"Deployed {_profile.Name}; it stays running (Remove-EtlDeployment removes it)."
                    : $"Deploying {_profile.Name} failed; what was applied stays (Remove-EtlDeployment removes it)."));
                return;
            }

            _progress.Report(new DevEvent("watch", $"Watching {_profile.ProjectDirectory} for changes; Ctrl+C ends the session{(_options.Cleanup ? " and deletes what it deployed" : string.Empty)}."));
            while (true)
            {
                var changes = await _phases.Changes.NextAsync(cancellationToken).ConfigureAwait(false);
                if (changes.IsEmpty)
                {
                    continue;
                }

                _progress.Report(new DevEvent("watch", $"{changes.Files.Count} file(s) changed: {Describe(changes.Files)} ({changes})", changes));
                _pending.UnionWith(changes.Rebuild);
                if (changes.ReloadConfig && !await ReloadAsync(cancellationToken).ConfigureAwait(false))
                {
                    continue; // a broken skaffold.yaml: keep running what was deployed until it is fixed
                }

                Succeeded = await CycleAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Not with the canceled token: the Ctrl+C that ends the loop must not skip its cleanup.
            await EndAsync().ConfigureAwait(false);
        }
    }

    // True when every phase succeeded.
    private async Task<bool> CycleAsync(CancellationToken cancellationToken)
    {
        var deployer = _deployer!;
        string phase = "build";
        try
        {
            _pending.IntersectWith(_profile.Artifacts.Select(a => a.ImageName));
            _pending.ExceptWith(_options.Prebuilt.Keys);
            foreach (var artifact in _profile.Artifacts.Where(a => _pending.Contains(a.ImageName)).ToList())
            {
                _progress.Report(new DevEvent("build", $"Building {artifact.ImageName}"));
                var image = await _phases.Builder.BuildAsync(_profile, artifact, _progress, cancellationToken).ConfigureAwait(false);
                _images[artifact.ImageName] = image;
                _pending.Remove(artifact.ImageName);
                _progress.Report(new DevEvent("build", $"{image.Artifact}: {image.FullyQualifiedName}{(image.Cached ? " (cached)" : string.Empty)}", image));
            }

            _session.Profile = _profile;
            IReadOnlyList<Kubernetes.AppliedObject> applied = [];
            // A second pass only when the after hooks set a template value the deploy did not have yet (a webhook url
            // known once the deployed Ingress has an address): render and deploy again with it, once.
            for (int pass = 0; pass < 2; pass++)
            {
                phase = "before-render hooks";
                await _phases.Hooks.RunAsync(HookPhase.BeforeRender, _session, _progress, cancellationToken).ConfigureAwait(false);
                phase = "render";
                var rendered = _session.Values;
                var objects = await _phases.Renderer.RenderAsync(_profile, _images, _progress, cancellationToken).ConfigureAwait(false);
                phase = "before hooks";
                await _phases.Hooks.RunAsync(HookPhase.Before, _session, _progress, cancellationToken).ConfigureAwait(false);
                phase = "deploy";
                applied = await deployer.DeployAsync(objects, [.. _images.Values], _progress, cancellationToken).ConfigureAwait(false);
                _session.Deployed = applied;
                foreach (var one in applied)
                {
                    _progress.Report(new DevEvent("deploy", one.ToString(), one));
                }

                phase = "after hooks";
                await _phases.Hooks.RunAsync(HookPhase.After, _session, _progress, cancellationToken).ConfigureAwait(false);
                var now = _session.Values;
                var changed = now.Where(v => !rendered.TryGetValue(v.Key, out var old) || old != v.Value).Select(v => v.Key).ToList();
                if (changed.Count == 0 || pass == 1)
                {
                    break;
                }

                _progress.Report(new DevEvent("hook", $"after hooks set {string.Join(", ", changed)}; rendering and deploying again"));
            }


            // Logs, runs and forwards start before the status check: a Sensor that does not become ready says why in its log.
            if (!_options.Once)
            {
                phase = "log tailing";
                if (!_logsStarted && _options.TailLogs && deployer.LogTailer is { } logs)
                {
                    await logs.StartAsync(_progress, cancellationToken).ConfigureAwait(false);
                    _running.Add(("log tailing", logs.StopAsync));
                    _logsStarted = true;
                }

                phase = "workflow runs";
                if (!_runsStarted && deployer.RunWatcher is { } runs)
                {
                    await runs.StartAsync(_progress, cancellationToken).ConfigureAwait(false);
                    _running.Add(("workflow runs", runs.StopAsync));
                    _runsStarted = true;
                }

                phase = "port-forwarding";
                if (!_forwardsStarted && deployer.PortForwarder is { } forwarder)
                {
                    await forwarder.StartAsync(_progress, cancellationToken).ConfigureAwait(false);
                    _running.Add(("port-forwarding", forwarder.StopAsync));
                    _forwardsStarted = true;
                }
            }

            if (deployer.StatusChecker is { } status)
            {
                phase = "status check";
                await status.CheckAsync(applied, _progress, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (EtlException ex)
        {
            // A tool killed by Ctrl+C fails with its own error; that is the end of the loop, not a failed phase.
            cancellationToken.ThrowIfCancellationRequested();
            _progress.Report(new DevEvent("error", $"{phase} failed: {ex.Message}", ex));
            return false;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Not our Ctrl+C: a client that timed out. The phase failed; the loop goes on.
            var failure = new EtlException(EtlErrors.DevPhaseTimedOut, $"{phase} failed: it timed out ({ex.Message}).",
                "Check that the registry or cluster answers; the next change tries again.", _profile.Name, ex);
            _progress.Report(new DevEvent("error", failure.Message, failure));
            return false;
        }
    }

    private async Task<bool> ReloadAsync(CancellationToken cancellationToken)
    {
        if (_phases.ReloadProfile is not { } reload)
        {
            _progress.Report(new DevEvent("reload", $"{_profile.Path} changed; restart the session to use it."));
            return false;
        }

        EtlProfile next;
        try
        {
            next = reload(_profile);
        }
        catch (EtlException ex)
        {
            _progress.Report(new DevEvent("error", $"reload failed: {ex.Message}", ex));
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var before = _profile.Artifacts.ToDictionary(a => a.ImageName, StringComparer.Ordinal);
        foreach (var artifact in next.Artifacts)
        {
            if (!before.TryGetValue(artifact.ImageName, out var old) || !SameDefinition(old, artifact) || !_images.ContainsKey(artifact.ImageName))
            {
                _pending.Add(artifact.ImageName);
            }
        }

        foreach (string gone in _images.Keys.Where(k => next.Artifacts.All(a => a.ImageName != k) && !_options.Prebuilt.ContainsKey(k)).ToList())
        {
            _images.Remove(gone);
        }

        _profile = next;
        await StopRunningAsync().ConfigureAwait(false);
        UseDeployer(_phases.Deployer(next));
        _phases.Changes.Watch(WatchList());
        _progress.Report(new DevEvent("reload", $"Reloaded {next.Path} (profile {next.Name}): {next.Artifacts.Count} artifact(s), {next.RawYaml.Count} manifest pattern(s), {next.Hooks.Count} hook(s)", next));
        return true;
    }

    private void UseDeployer(IDeployer deployer)
    {
        _deployer = deployer ?? throw new InvalidOperationException("The deployer factory returned no deployer.");
        if (!_deployers.Contains(deployer))
        {
            _deployers.Add(deployer);
        }

        _logsStarted = _runsStarted = _forwardsStarted = false;
    }

    private DevWatchList WatchList() => new(
        _profile.ProjectDirectory,
        File.Exists(_profile.Path) ? [Path.GetFullPath(_profile.Path)] : [],
        _profile.Artifacts.Where(a => !_options.Prebuilt.ContainsKey(a.ImageName)).GroupBy(a => a.ImageName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => _phases.Builder.Dependencies(_profile, g.First()), StringComparer.Ordinal),
        [.. _phases.Renderer.Dependencies(_profile), .. _deployer!.Dependencies]);

    private async Task StopRunningAsync()
    {
        foreach (var (what, stop) in Enumerable.Reverse(_running))
        {
            try
            {
                await stop().ConfigureAwait(false);
            }
            catch (EtlException ex)
            {
                _progress.Report(new DevEvent("error", $"stopping {what} failed: {ex.Message}", ex));
            }
        }

        _running.Clear();
    }

    // Each step runs even when the one before it threw: forwards stopped, then deployers cleaned up, then the cleanup hooks.
    private async Task EndAsync()
    {
        try
        {
            await StopRunningAsync().ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await CleanUpDeployersAsync().ConfigureAwait(false);
            }
            finally
            {
                if (!_options.Once)
                {
                    await RunCleanupHooksAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async Task CleanUpDeployersAsync()
    {
        foreach (var deployer in Enumerable.Reverse(_deployers))
        {
            try
            {
                if (_options.Cleanup && !_options.Once)
                {
                    foreach (var removed in await deployer.CleanupAsync(_progress, CancellationToken.None).ConfigureAwait(false))
                    {
                        _progress.Report(new DevEvent("cleanup", removed.ToString(), removed));
                    }
                }
            }
            catch (EtlException ex)
            {
                _progress.Report(new DevEvent("error", $"Cleanup could not delete everything: {ex.Message}", ex));
            }
            finally
            {
                if (deployer is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    private async Task RunCleanupHooksAsync()
    {
        try
        {
            _session.Profile = _profile;
            await _phases.Hooks.RunAsync(HookPhase.Cleanup, _session, _progress, CancellationToken.None).ConfigureAwait(false);
        }
        catch (EtlException ex)
        {
            _progress.Report(new DevEvent("error", $"cleanup hooks failed: {ex.Message}", ex));
        }
    }

    private string Describe(IReadOnlyList<string> files) =>
        string.Join(", ", files.Take(3).Select(f => Path.GetRelativePath(_profile.ProjectDirectory, f))) + (files.Count > 3 ? ", ..." : string.Empty);

    private static bool SameDefinition(EtlArtifact a, EtlArtifact b) =>
        a.ImageName == b.ImageName && a.Context == b.Context && a.Builder == b.Builder && a.Dockerfile == b.Dockerfile
        && a.BuildArgs.Count == b.BuildArgs.Count && a.BuildArgs.All(p => b.BuildArgs.TryGetValue(p.Key, out string? v) && v == p.Value);
}
