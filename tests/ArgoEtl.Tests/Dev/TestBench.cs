using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>
/// Fakes of the dev loop's phases that record each cycle (what was built, rendered, deployed, cleaned up, which hooks
/// ran) and fail where a test says, in the manner of Skaffold's runner TestBench. A cycle starts when the change feed
/// hands the loop a change; cycle 0 is the first build and deploy.
/// </summary>
internal sealed class TestBench : IProgress<DevEvent>
{
    private readonly Lock _gate = new();
    private readonly List<BenchCycle> _cycles = [new()];
    private readonly List<string> _log = [];
    private readonly HashSet<(int Cycle, string Phase, string What)> _failures = [];
    private readonly HashSet<(int Cycle, string Artifact)> _blocks = [];
    private readonly HashSet<(int Cycle, string Phase, string What)> _timeouts = [];
    private volatile bool _waiting;

    public TestBench()
    {
        Builder = new FakeArtifactBuilder(this);
        Renderer = new FakeManifestRenderer(this);
        Hooks = new FakeHookRunner(this);
    }

    public FakeArtifactBuilder Builder { get; }

    public FakeManifestRenderer Renderer { get; }

    public FakeHookRunner Hooks { get; }

    /// <summary>Every deployer the loop asked for, in order.</summary>
    public ConcurrentQueue<FakeDeployer> Deployers { get; } = new();

    public ConcurrentQueue<DevEvent> Events { get; } = new();

    /// <summary>Completes when a blocked build has started (see <see cref="BlockBuild"/>).</summary>
    public TaskCompletionSource BlockedBuildStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<BenchCycle> Cycles
    {
        get
        {
            lock (_gate)
            {
                return [.. _cycles];
            }
        }
    }

    /// <summary>Everything the phases did, in order, across cycles ("build app:1", "deploy", "hook cleanup", "cleanup", ...).</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>The loop waits for the next change: its last cycle is over.</summary>
    public bool IsWaiting => _waiting;

    public IReadOnlyList<string> Errors => [.. Events.Where(e => e.Phase == "error").Select(e => e.Message)];

    /// <summary>The phases with this bench's fakes, and <paramref name="changes"/> as the change feed.</summary>
    public DevPhases Phases(IChangeFeed changes, Func<EtlProfile, EtlProfile>? reload = null) => new()
    {
        Builder = Builder,
        Renderer = Renderer,
        Deployer = profile =>
        {
            var deployer = new FakeDeployer(this, profile);
            Deployers.Enqueue(deployer);
            return deployer;
        },
        Hooks = Hooks,
        Changes = new RecordingChangeFeed(changes, this),
        ReloadProfile = reload,
    };

    /// <summary>Makes <paramref name="phase"/> (build:artifact, render, deploy, hook:before, ...) fail in cycle <paramref name="cycle"/>.</summary>
    public TestBench Fail(int cycle, string phase, string what = "")
    {
        _failures.Add((cycle, phase, what));
        return this;
    }

    /// <summary>Makes <paramref name="phase"/> time out in cycle <paramref name="cycle"/> as an HTTP client does (a cancellation that is not the loop's).</summary>
    public TestBench TimeOut(int cycle, string phase, string what = "")
    {
        _timeouts.Add((cycle, phase, what));
        return this;
    }

    /// <summary>Makes the build of <paramref name="artifact"/> in cycle <paramref name="cycle"/> wait until the loop is canceled.</summary>
    public TestBench BlockBuild(int cycle, string artifact)
    {
        _blocks.Add((cycle, artifact));
        return this;
    }

    /// <summary>Waits until the loop has started cycle <paramref name="cycles"/> - 1 and finished it (it waits for the next change).</summary>
    public async Task WaitIdleAsync(int cycles)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(_waiting && Cycles.Count >= cycles))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the dev loop did not finish cycle {cycles - 1}; cycles so far: {string.Join(" | ", Cycles)}; events: {string.Join(" | ", Events.Select(e => e.Message))}");
            }

            await Task.Delay(20);
        }
    }

    public void Report(DevEvent value) => Events.Enqueue(value);

    public static EtlProfile Profile(string directory, params string[] artifacts) => new()
    {
        Name = EtlProfile.BaseName,
        Path = System.IO.Path.Combine(directory, "skaffold.yaml"),
        ProjectDirectory = directory,
        ApiVersion = "skaffold/v4beta13",
        Config = new JsonObject(),
        Artifacts = [.. artifacts.Select(a => new EtlArtifact(a, a, "docker", null, new Dictionary<string, string>()))],
        RawYaml = ["k8s/*.yaml"],
    };

    internal void EnterWaiting() => _waiting = true;

    internal void EnterNewCycle()
    {
        lock (_gate)
        {
            _cycles.Add(new BenchCycle());
        }

        _waiting = false;
    }

    internal void Record(Action<BenchCycle> change, string log)
    {
        lock (_gate)
        {
            change(_cycles[^1]);
            _log.Add(log);
        }
    }

    internal async Task CheckAsync(string phase, string what, CancellationToken cancellationToken)
    {
        int cycle;
        lock (_gate)
        {
            cycle = _cycles.Count - 1;
        }

        if (phase == "build" && _blocks.Contains((cycle, what)))
        {
            Record(_ => { }, $"build {what} started");
            BlockedBuildStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (_timeouts.Contains((cycle, phase, what)))
        {
            throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.");
        }

        if (_failures.Contains((cycle, phase, what)))
        {
            throw new EtlException("TestBenchFailure", EtlErrorKind.InvalidData, $"{phase} {what} fails in cycle {cycle} (injected)", "none", what);
        }
    }
}
