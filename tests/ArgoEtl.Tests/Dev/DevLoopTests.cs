using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>The dev loop's cycles through the TestBench: what each change builds, renders, deploys and cleans up.</summary>
public sealed class DevLoopTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), "argoetl-bench");

    private static HashSet<string> Set(params string[] items) => new(items, StringComparer.Ordinal);

    private sealed class Session(TestBench bench, ScriptedChangeFeed feed, DevLoop loop, Task running, CancellationTokenSource cancel)
    {
        public TestBench Bench => bench;

        public DevLoop Loop => loop;

        public Task Running => running;

        /// <summary>Pushes a change and waits until the loop finished the cycle it started.</summary>
        public async Task ChangeAsync(ChangeSet changes)
        {
            int cycles = bench.Cycles.Count;
            feed.Push(changes);
            await bench.WaitIdleAsync(cycles + 1);
        }

        public async Task StopAsync()
        {
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
            cancel.Dispose();
        }
    }

    private static async Task<Session> StartAsync(TestBench bench, EtlProfile profile, DevOptions? options = null, Func<EtlProfile, EtlProfile>? reload = null, bool waitForFirstCycle = true)
    {
        var feed = new ScriptedChangeFeed();
        var loop = new DevLoop(profile, bench.Phases(feed, reload), options ?? new DevOptions(), bench);
        var cancel = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(cancel.Token));
        if (waitForFirstCycle)
        {
            await bench.WaitIdleAsync(1);
        }

        return new Session(bench, feed, loop, running, cancel);
    }

    [Fact]
    public async Task The_first_cycle_builds_every_artifact_and_deploys_them_then_cleanup_runs_once_when_canceled()
    {
        var bench = new TestBench();
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"));
        await session.StopAsync();

        var first = Assert.Single(bench.Cycles);
        Assert.Equal(["app:1", "worker:1"], first.Built);
        Assert.Equal(["bench.test/app:1, bench.test/worker:1"], first.Rendered);
        Assert.Equal(["bench.test/app:1, bench.test/worker:1"], first.Deployed);
        Assert.Equal(["Deployment/app", "Deployment/worker"], first.Objects);
        Assert.Equal(
            ["build app:1", "build worker:1", "render", "hook before ((base))", "deploy", "hook after ((base))", "forward start",
             "forward stop", "cleanup", "hook cleanup ((base))"],
            bench.Log);
        var deployer = Assert.Single(bench.Deployers);
        Assert.Equal(1, deployer.Cleanups);
        Assert.Empty(deployer.Live);
        Assert.Equal(2, bench.Events.Count(e => e.Phase == "cleanup"));
        Assert.Empty(bench.Errors);
    }

    [Fact]
    public async Task A_source_change_rebuilds_only_that_artifact()
    {
        var bench = new TestBench();
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"));
        await session.ChangeAsync(new ChangeSet { Rebuild = Set("worker") });
        await session.ChangeAsync(new ChangeSet { Rebuild = Set("worker") });
        await session.StopAsync();

        var cycles = bench.Cycles;
        Assert.Equal(3, cycles.Count);
        Assert.Equal(["worker:2"], cycles[1].Built);
        Assert.Equal(["bench.test/app:1, bench.test/worker:2"], cycles[1].Deployed);
        Assert.Equal(["worker:3"], cycles[2].Built);
        Assert.Equal(["bench.test/app:1, bench.test/worker:3"], cycles[2].Deployed);
        Assert.Equal(["before", "after"], cycles[1].Hooks); // deploy hooks run around every deploy, as in Skaffold
        Assert.Single(bench.Log, l => l == "forward start"); // forwards start once, after the first deploy
    }

    [Fact]
    public async Task An_image_given_from_elsewhere_is_deployed_as_given_and_never_built_even_when_its_source_changes()
    {
        var bench = new TestBench();
        var given = Core.Images.EtlImage.Given("worker", "registry.test:5000/team/worker:v7@sha256:abc");
        Assert.Equal(("registry.test:5000/team/worker", "v7", "sha256:abc"), (given.Repository, given.Tag, given.Digest));
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"), new DevOptions { Prebuilt = new Dictionary<string, Core.Images.EtlImage> { ["worker"] = given } });
        await session.ChangeAsync(new ChangeSet { Rebuild = Set("worker", "app") });
        await session.StopAsync();

        Assert.Equal(["app:1"], bench.Cycles[0].Built);
        Assert.Equal(["bench.test/app:1, registry.test:5000/team/worker:v7@sha256:abc"], bench.Cycles[0].Deployed);
        Assert.Equal(["app:2"], bench.Cycles[1].Built);
        Assert.Equal(["bench.test/app:2, registry.test:5000/team/worker:v7@sha256:abc"], bench.Cycles[1].Deployed);
        Assert.Equal("registry.test:5000/team/worker:latest", Core.Images.EtlImage.Given("worker", "registry.test:5000/team/worker").FullyQualifiedName);
    }

    [Fact]
    public async Task A_manifest_change_renders_and_deploys_again_without_a_build()
    {
        var bench = new TestBench();
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"));
        await session.ChangeAsync(new ChangeSet { Redeploy = true });
        await session.StopAsync();

        var second = bench.Cycles[1];
        Assert.Empty(second.Built);
        Assert.Equal(["bench.test/app:1, bench.test/worker:1"], second.Rendered);
        Assert.Equal(["bench.test/app:1, bench.test/worker:1"], second.Deployed);
    }

    [Fact]
    public async Task A_skaffold_yaml_change_reloads_the_profile_and_builds_only_new_artifacts()
    {
        var bench = new TestBench();
        var reloaded = TestBench.Profile(Dir, "app", "api");
        reloaded = new EtlProfile
        {
            Name = "reloaded", Path = reloaded.Path, ProjectDirectory = reloaded.ProjectDirectory, ApiVersion = reloaded.ApiVersion, Config = reloaded.Config,
            Artifacts = reloaded.Artifacts, RawYaml = ["manifests/**/*.yaml"],
        };
        int reloads = 0;
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"), reload: _ => { reloads++; return reloaded; });
        await session.ChangeAsync(new ChangeSet { ReloadConfig = true });
        await session.StopAsync();

        Assert.Equal(1, reloads);
        Assert.Same(reloaded, session.Loop.Profile);
        var second = bench.Cycles[1];
        Assert.Equal(["api:1"], second.Built);
        Assert.Equal(["bench.test/api:1, bench.test/app:1"], second.Deployed);
        Assert.Equal(["Deployment/app", "Deployment/api"], second.Objects);
        Assert.Equal(["api", "app"], session.Loop.Images.Keys.Order(StringComparer.Ordinal));

        // The runner's view is rebuilt: a deployer for the new profile, its forwards restarted, its hooks and files watched.
        var deployers = bench.Deployers.ToList();
        Assert.Equal(2, deployers.Count);
        Assert.Same(reloaded, deployers[1].Profile);
        Assert.Contains("hook before (reloaded)", bench.Log);
        Assert.Equal("hook cleanup (reloaded)", bench.Log[^1]);
        Assert.Equal(["forward start", "forward stop", "forward start", "forward stop"], bench.Log.Where(l => l.StartsWith("forward", StringComparison.Ordinal)));
        Assert.All(deployers, d => Assert.Equal(1, d.Cleanups));
        Assert.All(deployers, d => Assert.Empty(d.Live));
    }

    [Fact]
    public async Task A_broken_skaffold_yaml_is_reported_and_what_runs_stays_until_it_is_fixed()
    {
        var bench = new TestBench();
        bool broken = true;
        var original = TestBench.Profile(Dir, "app");
        var session = await StartAsync(bench, original, reload: p => broken
            ? throw new EtlException("YamlSyntaxError", EtlErrorKind.InvalidData, "skaffold.yaml:3:1: bad indentation")
            : TestBench.Profile(Dir, "app", "worker"));
        await session.ChangeAsync(new ChangeSet { ReloadConfig = true });
        Assert.Contains(bench.Errors, e => e.Contains("reload failed: skaffold.yaml:3:1", StringComparison.Ordinal));
        Assert.Same(original, session.Loop.Profile);
        Assert.Empty(bench.Cycles[1].Deployed);
        Assert.False(session.Running.IsCompleted);

        broken = false;
        await session.ChangeAsync(new ChangeSet { ReloadConfig = true });
        await session.StopAsync();
        Assert.Equal(["worker:1"], bench.Cycles[2].Built);
        Assert.Equal(["bench.test/app:1, bench.test/worker:1"], bench.Cycles[2].Deployed);
    }

    [Fact]
    public async Task A_build_failure_is_reported_and_the_next_change_builds_it_again()
    {
        var bench = new TestBench().Fail(1, "build", "app");
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"));
        await session.ChangeAsync(new ChangeSet { Rebuild = Set("app") });

        Assert.Empty(bench.Cycles[1].Built);
        Assert.Empty(bench.Cycles[1].Deployed); // nothing is deployed after a failed build
        var error = Assert.Single(bench.Events, e => e.Phase == "error");
        Assert.StartsWith("build failed: build app fails in cycle 1", error.Message, StringComparison.Ordinal);
        Assert.Equal("TestBenchFailure", Assert.IsType<EtlException>(error.Item).Code);
        Assert.False(session.Running.IsCompleted);

        // A manifest-only change after the failure still builds what failed.
        await session.ChangeAsync(new ChangeSet { Redeploy = true });
        await session.StopAsync();
        Assert.Equal(["app:2"], bench.Cycles[2].Built);
        Assert.Equal(["bench.test/app:2, bench.test/worker:1"], bench.Cycles[2].Deployed);
    }

    [Theory]
    [InlineData("render", "")]
    [InlineData("hook", "before")]
    [InlineData("deploy", "")]
    public async Task A_failed_first_deploy_is_reported_and_forwards_start_after_the_first_deploy_that_works(string phase, string what)
    {
        var bench = new TestBench().Fail(0, phase, what);
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app"));
        Assert.Empty(bench.Cycles[0].Deployed);
        Assert.Single(bench.Errors);
        Assert.DoesNotContain("forward start", bench.Log);

        await session.ChangeAsync(new ChangeSet { Redeploy = true });
        await session.StopAsync();
        Assert.Empty(bench.Cycles[1].Built);
        Assert.Equal(["bench.test/app:1"], bench.Cycles[1].Deployed);
        Assert.Contains("forward start", bench.Log);
    }

    [Fact]
    public async Task A_client_timeout_is_a_failed_phase_not_the_end_of_the_loop()
    {
        var bench = new TestBench().TimeOut(1, "deploy");
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app"));
        await session.ChangeAsync(new ChangeSet { Rebuild = Set("app") });
        Assert.False(session.Running.IsCompleted);
        var error = Assert.Single(bench.Events, e => e.Phase == "error");
        Assert.Equal("DevPhaseTimedOut", Assert.IsType<EtlException>(error.Item).Code);
        Assert.StartsWith("deploy failed: it timed out", error.Message, StringComparison.Ordinal);

        await session.ChangeAsync(new ChangeSet { Redeploy = true });
        await session.StopAsync();
        Assert.Equal(["bench.test/app:2"], bench.Cycles[2].Deployed);
    }

    [Fact]
    public async Task A_failing_cleanup_is_reported_and_the_cleanup_hooks_still_run()
    {
        var bench = new TestBench().Fail(0, "cleanup");
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app"));
        await session.StopAsync();

        Assert.Equal(["forward stop", "cleanup", "hook cleanup ((base))"], bench.Log.TakeLast(3));
        Assert.Contains(bench.Errors, e => e.StartsWith("Cleanup could not delete everything: cleanup  fails", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_mid_build_stops_promptly_and_runs_cleanup_once_with_the_hooks_in_order()
    {
        var bench = new TestBench().BlockBuild(1, "worker");
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"));
        var feed = new ChangeSet { Rebuild = Set("app", "worker") };
        _ = session.ChangeAsync(feed);
        await bench.BlockedBuildStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await session.StopAsync();

        Assert.Equal(
            ["build app:1", "build worker:1", "render", "hook before ((base))", "deploy", "hook after ((base))", "forward start",
             "build app:2", "build worker started",
             "forward stop", "cleanup", "hook cleanup ((base))"],
            bench.Log);
        var deployer = Assert.Single(bench.Deployers);
        Assert.Equal(1, deployer.Cleanups);
        Assert.Empty(deployer.Live);
        Assert.Empty(bench.Errors); // a canceled build is the end of the loop, not a failed phase
    }

    [Fact]
    public async Task Cancel_during_the_first_build_still_runs_cleanup_once()
    {
        var bench = new TestBench().BlockBuild(0, "app");
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app"), waitForFirstCycle: false);
        await bench.BlockedBuildStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await session.StopAsync();

        Assert.Equal(["build app started", "cleanup", "hook cleanup ((base))"], bench.Log);
    }

    [Fact]
    public async Task Without_cleanup_what_was_deployed_stays_and_the_cleanup_hooks_still_run()
    {
        var bench = new TestBench();
        var session = await StartAsync(bench, TestBench.Profile(Dir, "app", "worker"), new DevOptions { Cleanup = false });
        await session.ChangeAsync(new ChangeSet { Rebuild = Set("app") });
        await session.StopAsync();

        var deployer = Assert.Single(bench.Deployers);
        Assert.Equal(0, deployer.Cleanups);
        Assert.Equal("bench.test/app:2", deployer.Live["Deployment/app"]);
        Assert.Equal("bench.test/worker:1", deployer.Live["Deployment/worker"]);
        Assert.DoesNotContain("cleanup", bench.Log);
        Assert.Equal("hook cleanup ((base))", bench.Log[^1]);
    }

    [Fact]
    public async Task The_loop_tells_the_change_feed_what_each_concern_depends_on()
    {
        var bench = new TestBench();
        var feed = new ScriptedChangeFeed();
        var loop = new DevLoop(TestBench.Profile(Dir, "app"), bench.Phases(feed), new DevOptions(), bench);
        using var cancel = new CancellationTokenSource();
        var running = loop.RunAsync(cancel.Token);
        await bench.WaitIdleAsync(1);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var watching = feed.Watching!;
        Assert.Equal(Path.Combine(Dir, "app"), Assert.Single(watching.Artifacts["app"]));
        Assert.Equal([Path.Combine(Dir, "k8s", "*.yaml")], watching.Deploy);
        await Assert.ThrowsAsync<InvalidOperationException>(() => loop.RunAsync(CancellationToken.None));
    }
}
