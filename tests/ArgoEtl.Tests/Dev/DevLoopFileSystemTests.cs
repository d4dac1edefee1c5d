using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;
using ArgoEtl.Tests.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>
/// The dev loop on a real project folder: real file writes through the file-system change feed, the real renderer,
/// host hooks and skaffold.yaml reloading; only the builder and the target are the bench's.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DevLoopFileSystemTests
{
    private static string Config(string marker, bool withWorker) => $$"""
        apiVersion: skaffold/v4beta13
        kind: Config
        metadata:
          name: fsdemo
        build:
          artifacts:
          - image: app
            context: app
        {{(withWorker ? "  - image: worker\n    context: worker\n" : string.Empty)}}manifests:
          rawYaml:
          - k8s/*.yaml
        deploy:
          kubectl:
            hooks:
              before:
              - host:
                  command: ["sh", "-c", "echo before >> {{marker}}"]
              after:
              - host:
                  command: ["sh", "-c", "echo after >> {{marker}}"]
              cleanup:
              - host:
                  command: ["sh", "-c", "echo cleanup >> {{marker}}"]
        """;

    private static string Deployment(string name) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
        spec:
          template:
            spec:
              containers:
              - name: {name}
                image: {name}
        """;

    private const string Settings = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: second
        """;

    private static async Task<BenchCycle> CycleAsync(TestBench bench, Func<BenchCycle, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var cycles = bench.Cycles;
            if (bench.IsWaiting && cycles.LastOrDefault(done) is { } cycle)
            {
                return cycle;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{what}; cycles: {string.Join(" | ", bench.Cycles)}; events: {string.Join(" | ", bench.Events.Select(e => e.Message))}");
    }

    [Fact]
    public async Task File_writes_rebuild_redeploy_and_reload_and_cancel_cleans_up_once()
    {
        string outside = Path.Combine(Path.GetTempPath(), "argoetl-fsdev-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outside);
        string marker = Path.Combine(outside, "hooks.log"); // outside the project, so the hooks' writes are no change
        using var files = new TempProject(("skaffold.yaml", Config(marker, withWorker: false)), ("app/Dockerfile", "FROM scratch\n"), ("k8s/app.yaml", Deployment("app")));
        var context = new ProjectContext("dev", "none", new Dictionary<string, string>());
        var profile = SkaffoldProject.Load(files.Directory, context).Effective(null)[0];
        var bench = new TestBench();
        using var feed = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(150));
        var phases = bench.Phases(feed, p => ProfileReloader.Reload(p, context)) with { Renderer = new SkaffoldManifestRenderer(context), Hooks = new HostHookRunner() };
        var loop = new DevLoop(profile, phases, new DevOptions(), bench);
        using var cancel = new CancellationTokenSource();
        var running = Task.Run(() => loop.RunAsync(cancel.Token));
        try
        {
            var first = await CycleAsync(bench, c => c.Deployed.Count > 0, "first deploy");
            Assert.Equal(["app:1"], first.Built);
            Assert.Equal(["Deployment/app"], first.Objects);
            Assert.Equal(["bench.test/app:1"], first.Deployed);

            // A new manifest: rendered from the file and deployed, nothing built.
            files.Write("k8s/settings.yaml", Settings);
            var manifests = await CycleAsync(bench, c => c.Objects.Contains("ConfigMap/settings"), "manifest change deployed");
            Assert.Empty(manifests.Built);
            Assert.Equal(["bench.test/app:1"], manifests.Deployed);

            // A source file: only its artifact is built.
            files.Write("app/hello.txt", "v2\n");
            var rebuilt = await CycleAsync(bench, c => c.Built.Contains("app:2"), "source change rebuilt");
            Assert.Equal(["app:2"], rebuilt.Built);
            Assert.Equal(["bench.test/app:2"], rebuilt.Deployed);

            // A new artifact in skaffold.yaml: the profile is reloaded, only the new artifact is built, and its context is watched.
            files.Write("worker/Dockerfile", "FROM scratch\n");
            files.Write("k8s/worker.yaml", Deployment("worker"));
            await CycleAsync(bench, c => c.Objects.Contains("Deployment/worker"), "worker manifest deployed");
            files.Write("skaffold.yaml", Config(marker, withWorker: true));
            var reloaded = await CycleAsync(bench, c => c.Built.Contains("worker:1"), "config reloaded");
            Assert.Equal(["worker:1"], reloaded.Built);
            Assert.Equal(["bench.test/app:2, bench.test/worker:1"], reloaded.Deployed);
            Assert.Equal(["app", "worker"], loop.Profile.Artifacts.Select(a => a.ImageName));

            files.Write("worker/main.txt", "hello\n");
            var worker = await CycleAsync(bench, c => c.Built.Contains("worker:2"), "new artifact rebuilt");
            Assert.Equal(["worker:2"], worker.Built);
            Assert.Empty(bench.Errors);
        }
        finally
        {
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        var hooks = File.ReadAllLines(marker);
        Assert.Equal("cleanup", hooks[^1]);
        Assert.Single(hooks, h => h == "cleanup");
        Assert.Equal(hooks.Count(h => h == "before"), hooks.Count(h => h == "after"));
        Assert.Equal(bench.Cycles.Count(c => c.Deployed.Count > 0), hooks.Count(h => h == "before"));
        Assert.All(bench.Deployers, d => Assert.Equal(1, d.Cleanups));
        Assert.All(bench.Deployers, d => Assert.Empty(d.Live));
        Directory.Delete(outside, recursive: true);
    }
}
