using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.Tests.Kubernetes;
using ArgoEtl.Tests.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>The Kubernetes target behind the loop's deploy seam, against the test API server (no builder needed: the bench builds).</summary>
public sealed class KubernetesDeployerTests
{
    private const string Config = """
        apiVersion: skaffold/v4beta13
        kind: Config
        metadata:
          name: kdemo
        build:
          artifacts:
          - image: app
            context: app
        manifests:
          rawYaml:
          - k8s/*.yaml
        """;

    private const string Manifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-settings
          namespace: default
        data:
          image: app
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Applies_with_the_session_label_and_cleanup_deletes_exactly_that_unless_disabled(bool cleanup)
    {
        using var files = new TempProject(("skaffold.yaml", Config), ("app/Dockerfile", "FROM scratch\n"), ("k8s/config.yaml", Manifest));
        await using var kit = await KubeTestKit.StartAsync();
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"not-mine","namespace":"default"},"data":{"x":"y"}}"""));
        var configMaps = kit.Store.Find("", "v1", "configmaps")!;
        var context = new ProjectContext("dev", "none", new Dictionary<string, string>());
        var profile = SkaffoldProject.Load(files.Directory, context).Profiles[0];
        var bench = new TestBench();
        var feed = new ScriptedChangeFeed();
        KubernetesDeployer? made = null;
        var phases = bench.Phases(feed) with { Renderer = new SkaffoldManifestRenderer(context), Deployer = p => made = new KubernetesDeployer(kit.Client, p) };
        using var cancel = new CancellationTokenSource();
        var running = Task.Run(() => new DevLoop(profile, phases, new DevOptions { Cleanup = cleanup }, bench).RunAsync(cancel.Token));
        await bench.WaitIdleAsync(1);

        var applied = kit.Store.Get(configMaps, "default", "app-settings");
        Assert.Equal(200, applied.Status);
        Assert.Equal("dev-kdemo", (string?)applied.Body["metadata"]?["labels"]?["argoetl.io/project"]);
        Assert.Equal("dev-kdemo", made!.Project);
        Assert.Contains(bench.Events, e => e.Phase == "deploy" && e.Message.StartsWith("ConfigMap/app-settings", StringComparison.Ordinal));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal(cleanup ? 404 : 200, kit.Store.Get(configMaps, "default", "app-settings").Status);
        Assert.Equal(200, kit.Store.Get(configMaps, "default", "not-mine").Status);
        Assert.Equal(cleanup, bench.Events.Any(e => e.Phase == "cleanup" && e.Message.StartsWith("ConfigMap/app-settings", StringComparison.Ordinal)));
        Assert.Empty(bench.Errors);
    }
}
