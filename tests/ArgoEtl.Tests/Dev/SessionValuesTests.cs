using System.Text.Json.Nodes;
using ArgoEtl.Core;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.Tests.Kubernetes;

namespace ArgoEtl.Tests.Dev;

/// <summary>
/// Template values set by session hooks reach the real renderer: a before-render hook's values are in the first
/// deploy; an after hook that learns a value (the Ingress' address) makes the loop render and deploy once more; and the
/// Ingress address wait against the test API server, whose stand-in load balancer controller gives ALB Ingresses a name.
/// </summary>
public sealed class SessionValuesTests
{
    private static readonly string[] PropertyNames = ["TopicArn", "AccountId", "Region", "ConfigurationId", "URLPath", "S3Prefix"];

    // Sets TOPIC_ARN before each render; after a deploy, the webhook url it "learned" (once).
    private sealed class ValueHooks : IHookRunner
    {
        public List<string> Ran { get; } = [];

        public Task RunAsync(HookPhase phase, EtlProfile profile, IProgress<DevEvent> progress, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RunAsync(HookPhase phase, DevSession session, IProgress<DevEvent> progress, CancellationToken cancellationToken)
        {
            Ran.Add(HostHookRunner.Name(phase));
            if (phase == HookPhase.BeforeRender)
            {
                session.SetValue("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:s3-etl-s3-noti");
            }
            else if (phase == HookPhase.After && session.Deployed.Count > 0)
            {
                session.SetValue("WEBHOOK_URL", "http://k8s-etl-s3.elb.amazonaws.com");
            }

            return Task.CompletedTask;
        }
    }

    private sealed class NoBuild : IArtifactBuilder
    {
        public IReadOnlyList<string> Dependencies(EtlProfile profile, EtlArtifact artifact) => [];

        public Task<EtlImage> BuildAsync(EtlProfile profile, EtlArtifact artifact, IProgress<DevEvent> progress, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the profile has no artifacts");
    }

    // Records the EventSource each deploy got (what a target would run).
    private sealed class RecordingDeployer : IDeployer
    {
        public List<JsonObject> EventSources { get; } = [];

        public IReadOnlyList<string> Dependencies => [];

        public Task<IReadOnlyList<AppliedObject>> DeployAsync(IReadOnlyList<RenderedObject> objects, IReadOnlyList<EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
        {
            EventSources.Add(objects.Single(o => o.Manifest.Kind == "EventSource").Object);
            return Task.FromResult<IReadOnlyList<AppliedObject>>([.. objects.Select(o => new AppliedObject { Kind = o.Manifest.Kind, Name = o.Manifest.Name, Action = "created" })]);
        }

        public Task<IReadOnlyList<AppliedObject>> CleanupAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AppliedObject>>([]);
    }

    private sealed class Events : IProgress<DevEvent>
    {
        public System.Collections.Concurrent.ConcurrentQueue<DevEvent> All { get; } = new();

        public void Report(DevEvent value) => All.Enqueue(value);
    }

    [Fact]
    public async Task Hook_values_are_rendered_and_a_value_set_after_the_deploy_deploys_once_more()
    {
        string dir = Path.Combine(Path.GetTempPath(), "argoetl-values-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "k8s"));
        try
        {
            File.Copy(Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", "s3", "k8s", "eventsource.yaml"), Path.Combine(dir, "k8s", "eventsource.yaml"));
            var profile = TestBench.Profile(dir);
            var session = new DevSession(profile);
            var hooks = new ValueHooks();
            var deployer = new RecordingDeployer();
            using var feed = new ScriptedChangeFeed();
            var phases = new DevPhases
            {
                Builder = new NoBuild(),
                Renderer = new SkaffoldManifestRenderer(new ProjectContext("dev", "none", new Dictionary<string, string>())) { Session = session },
                Deployer = _ => deployer,
                Hooks = hooks,
                Changes = feed,
            };
            var events = new Events();
            using var cancel = new CancellationTokenSource();
            var loop = new DevLoop(profile, phases, new DevOptions(), events, session);
            var running = Task.Run(() => loop.RunAsync(cancel.Token));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!events.All.Any(e => e.Phase == "watch") && DateTime.UtcNow < deadline && !running.IsCompleted)
            {
                await Task.Delay(50);
            }

            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

            Assert.DoesNotContain(events.All, e => e.Phase == "error");
            Assert.Equal(2, deployer.EventSources.Count);
            var first = deployer.EventSources[0]["spec"]!["sns"]!["csv"]!;
            var second = deployer.EventSources[1]["spec"]!["sns"]!["csv"]!;
            Assert.Equal("arn:aws:sns:us-east-1:123456789012:s3-etl-s3-noti", (string?)first["topicArn"]);
            Assert.Equal("http://localhost:12000", (string?)first["webhook"]!["url"]);
            Assert.Equal("http://k8s-etl-s3.elb.amazonaws.com", (string?)second["webhook"]!["url"]);
            Assert.Equal(["before-render", "before", "after", "before-render", "before", "after", "cleanup"], hooks.Ran);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Property_names_become_upper_snake_template_value_names()
    {
        Assert.Equal(["TOPIC_ARN", "ACCOUNT_ID", "REGION", "CONFIGURATION_ID", "URL_PATH", "S3_PREFIX"],
            PropertyNames.Select(DevSession.ValueName));
        Assert.Throws<EtlException>(() => new DevSession(TestBench.Profile(Path.GetTempPath())).SetValue("not-a-name", "x"));
    }

    [Fact]
    public async Task The_ingress_wait_returns_the_alb_hostname_once_the_controller_sets_it()
    {
        await using var kube = await KubeTestKit.StartAsync();
        var ingress = KubeTestKit.Parse("""
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"s3-eventsource","namespace":"default"},
             "spec":{"ingressClassName":"alb","rules":[{"http":{"paths":[{"path":"/s3","pathType":"Prefix","backend":{"service":{"name":"s3-eventsource-svc","port":{"number":12000}}}}]}}]}}
            """);
        var polls = new List<string>();
        var waiter = new IngressAddressWaiter(kube.Client) { PollInterval = TimeSpan.FromMilliseconds(100) };
        var waiting = waiter.WaitAsync("s3-eventsource", "default", TimeSpan.FromSeconds(30), new SyncProgress(p => polls.Add(p.Status)), default);
        await Task.Delay(300);
        Assert.True((await kube.Client.SendAsync(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/default/ingresses", ingress)).IsSuccess);

        var address = await waiting;

        Assert.Matches(@"^k8s-default-s3-eventsource-[0-9a-f]{10}-\d+\.us-east-1\.elb\.amazonaws\.com$", address.Host);
        Assert.Equal(new Uri("http://" + address.Host), address.Url);
        Assert.Contains(polls, p => p.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ingress_that_never_gets_an_address_times_out_naming_where_to_look()
    {
        await using var kube = await KubeTestKit.StartAsync();
        var ingress = KubeTestKit.Parse("""
            {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"stuck","namespace":"default","annotations":{"argoetl.test/no-address":"true"}},
             "spec":{"ingressClassName":"alb","rules":[]}}
            """);
        Assert.True((await kube.Client.SendAsync(HttpMethod.Post, "/apis/networking.k8s.io/v1/namespaces/default/ingresses", ingress)).IsSuccess);
        var waiter = new IngressAddressWaiter(kube.Client) { PollInterval = TimeSpan.FromMilliseconds(100) };

        var error = await Assert.ThrowsAsync<EtlException>(() => waiter.WaitAsync("stuck", "default", TimeSpan.FromSeconds(1), null, default));

        Assert.Equal("IngressAddressTimeout", error.Code);
        Assert.Contains("default/stuck", error.Message, StringComparison.Ordinal);
        Assert.Contains("aws-load-balancer-controller", error.Suggestion, StringComparison.Ordinal);
    }

    private sealed class SyncProgress(Action<(TimeSpan Waited, TimeSpan Timeout, string Status)> report) : IProgress<(TimeSpan Waited, TimeSpan Timeout, string Status)>
    {
        private readonly Lock _gate = new();

        public void Report((TimeSpan Waited, TimeSpan Timeout, string Status) value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
