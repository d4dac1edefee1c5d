using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.Tests.Images;
using ArgoEtl.Tests.Kubernetes;

namespace ArgoEtl.Tests.Dev;

/// <summary>The dev loop with its real phases (buildah, a registry, the test API server): deploy, redeploy on edits, clean up on cancel.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DevSessionTests(ImageFixture images) : IClassFixture<ImageFixture>
{
    private static string Project(string marker, int localPort) => $"""
        apiVersion: skaffold/v4beta13
        kind: Config
        metadata:
          name: devdemo
        portForward:
        - resourceType: service
          resourceName: app
          port: 8080
          localPort: {localPort}
        build:
          artifacts:
          - image: app
            context: ctx
        manifests:
          rawYaml:
          - k8s/*.yaml
        deploy:
          kubectl:
            hooks:
              cleanup:
              - host:
                  command: ["sh", "-c", "echo cleaned > {marker}"]
        """;

    private const string Deployment = """
        apiVersion: v1
        kind: Service
        metadata:
          name: app
          namespace: default
        spec:
          selector: {app: app}
          ports:
          - port: 8080
            targetPort: http
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
          namespace: default
        spec:
          selector:
            matchLabels: {app: app}
          template:
            metadata:
              labels: {app: app}
            spec:
              containers:
              - name: app
                image: app
                ports:
                - name: http
                  containerPort: 5000
        """;

    private static string Config(string mode) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-settings
          namespace: default
        data:
          mode: {mode}
        """;

    private static async Task<T> EventuallyAsync<T>(Func<T?> probe, string what)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(what);
    }

    [Fact]
    public async Task Deploys_redeploys_what_changed_and_deletes_everything_it_deployed_when_canceled()
    {
        string dir = Path.Combine(Path.GetTempPath(), "argoetl-dev-" + Guid.NewGuid().ToString("N")[..8]);
        string marker = Path.Combine(dir, "cleanup-ran");
        int localPort = FreePort();
        var files = new ArgoEtl.Tests.Projects.TempProject(("skaffold.yaml", Project(marker, localPort)), ("ctx/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n"), ("ctx/hello.txt", "v1\n"),
            ("k8s/deployment.yaml", Deployment), ("k8s/config.yaml", Config("first")));
        Directory.CreateDirectory(dir);
        await using var kit = await KubeTestKit.StartAsync();
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"not-mine","namespace":"default"},"data":{"x":"y"}}"""));
        var deployments = kit.Store.Find("apps", "v1", "deployments")!;
        var configMaps = kit.Store.Find("", "v1", "configmaps")!;
        string Image() => kit.Store.Get(deployments, "default", "app").Body["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? string.Empty;
        string? Mode() => kit.Store.Get(configMaps, "default", "app-settings").Body["data"]?["mode"]?.GetValue<string>();

        var profile = SkaffoldProject.Load(files.Directory, new ProjectContext("dev", "none", new Dictionary<string, string>())).Profiles[0];
        var events = new System.Collections.Concurrent.ConcurrentQueue<DevEvent>();
        using var changes = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(200));
        var phases = new DevPhases
        {
            Builder = new PublishingArtifactBuilder(new PublishOptions { Registry = images.Registry.Host, BuildahRoot = images.BuildahRoot }),
            Renderer = new SkaffoldManifestRenderer(new ProjectContext("dev")),
            Deployer = p => new KubernetesDeployer(kit.Client, p),
            Hooks = new HostHookRunner(),
            Changes = changes,
        };
        using var cancel = new CancellationTokenSource();
        var session = new DevLoop(profile, phases, new DevOptions(), new Progress(events));
        var running = session.RunAsync(cancel.Token);

        // The app's pod port 5000 (the service's 'http' target) is the registry here, so the forward can be checked over HTTP.
        kit.Store.ForwardPort("default", "app-", 5000, images.Registry.Host);
        string first = await EventuallyAsync(() => Image().StartsWith(images.Registry.Host, StringComparison.Ordinal) ? Image() : null, "first deploy");
        Assert.Equal("first", Mode());
        Assert.Contains("@sha256:", first, StringComparison.Ordinal);
        await EventuallyAsync(() => events.Any(e => e.Phase == "watch") ? "" : null, "watching");
        using (var http = new HttpClient())
        {
            var viaForward = await http.GetAsync($"http://127.0.0.1:{localPort}/v2/");
            Assert.Equal(System.Net.HttpStatusCode.OK, viaForward.StatusCode);
        }

        File.WriteAllText(Path.Combine(files.Directory, "k8s", "config.yaml"), Config("second"));
        await EventuallyAsync(() => Mode() == "second" ? "" : null, "manifest change applied");
        Assert.Equal(first, Image());

        File.WriteAllText(Path.Combine(files.Directory, "ctx", "hello.txt"), "v2\n");
        string second = await EventuallyAsync(() => Image() != first ? Image() : null, "image rebuilt and redeployed");
        Assert.StartsWith(images.Registry.Host + "/app:", second, StringComparison.Ordinal);

        // A broken edit is reported, not fatal.
        File.WriteAllText(Path.Combine(files.Directory, "k8s", "config.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: [broken\n");
        await EventuallyAsync(() => events.FirstOrDefault(e => e.Phase == "error"), "error reported");
        Assert.False(running.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal(404, kit.Store.Get(deployments, "default", "app").Status);
        Assert.Equal(404, kit.Store.Get(configMaps, "default", "app-settings").Status);
        Assert.Equal(200, kit.Store.Get(configMaps, "default", "not-mine").Status);
        Assert.Equal("cleaned", File.ReadAllText(marker).Trim());
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => new HttpClient().GetAsync($"http://127.0.0.1:{localPort}/v2/"));
        Directory.Delete(dir, recursive: true);
        files.Dispose();
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class Progress(System.Collections.Concurrent.ConcurrentQueue<DevEvent> events) : IProgress<DevEvent>
    {
        public void Report(DevEvent value) => events.Enqueue(value);
    }
}
