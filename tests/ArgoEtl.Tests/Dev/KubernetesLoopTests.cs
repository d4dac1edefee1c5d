using System.Net;
using System.Net.Sockets;
using System.Text;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.Tests.Kubernetes;
using ArgoEtl.Tests.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>
/// The dev loop on the Kubernetes target against the test API server (with its Argo controller stand-ins), read back
/// with real kubectl: Workflow and Sensor logs in the session, runs as EtlWorkflowRun, status that names what is not
/// running, port-forwards that follow a replaced pod, -Once then removal by labels, pruning, and config reload.
/// </summary>
public sealed class KubernetesLoopTests
{
    private static string Config(string portForward = "") => $"""
        apiVersion: skaffold/v4beta13
        kind: Config
        metadata:
          name: kloop
        manifests:
          rawYaml:
          - k8s/*.yaml
        {portForward}
        """;

    private const string Pipeline = """
        apiVersion: argoproj.io/v1alpha1
        kind: EventSource
        metadata:
          name: hook
          namespace: default
        spec:
          webhook:
            csv:
              port: "12000"
              endpoint: /csv
              method: POST
              url: http://hook-eventsource-svc.default:12000
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Sensor
        metadata:
          name: csv
          namespace: default
        spec:
          dependencies:
          - name: dep
            eventSourceName: hook
            eventName: csv
          triggers:
          - template:
              name: run-etl
              k8s:
                operation: create
                source:
                  resource:
                    apiVersion: argoproj.io/v1alpha1
                    kind: Workflow
                    metadata:
                      generateName: etl-
                    spec:
                      entrypoint: main
                      templates:
                      - name: main
                        container:
                          image: busybox
                          command: [echo, converted]
        """;

    private const string App = """
        apiVersion: v1
        kind: Service
        metadata:
          name: app
          namespace: default
        spec:
          selector: {app: app}
          ports:
          - port: 8080
            targetPort: 5000
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
                image: busybox
        """;

    private static string ConfigMap(string name) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: default
        data:
          a: "1"
        """;

    // What the Sensor's trigger would create (the stand-in Sensor does not fire): labelled as Argo Events labels it.
    private const string TriggeredWorkflow = """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata:
          generateName: etl-
          namespace: default
          labels:
            events.argoproj.io/sensor: csv
            events.argoproj.io/trigger: run-etl
        spec:
          entrypoint: main
          templates:
          - name: main
            container:
              image: busybox
              command: [echo, converted]
        """;

    private sealed class Session(TestBench bench, Task running, CancellationTokenSource cancel) : IAsyncDisposable
    {
        public TestBench Bench => bench;

        public Task Running => running;

        public IEnumerable<string> Lines(string phase) => bench.Events.Where(e => e.Phase == phase).Select(e => e.Message);

        public IEnumerable<EtlWorkflowRun> Runs => bench.Events.Select(e => e.Item).OfType<EtlWorkflowRun>();

        public async Task StopAsync()
        {
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }

        public async ValueTask DisposeAsync()
        {
            if (!running.IsCompleted)
            {
                await cancel.CancelAsync();
                try
                {
                    await running;
                }
                catch (OperationCanceledException)
                {
                    // Ended by the test.
                }
            }

            cancel.Dispose();
        }
    }

    private static Session Start(KubeTestKit kit, TempProject files, DevOptions? options = null, TimeSpan? statusTimeout = null, IChangeFeed? feed = null)
    {
        var context = new ProjectContext("dev", "none", new Dictionary<string, string>());
        var profile = SkaffoldProject.Load(files.Directory, context).Profiles[0];
        var bench = new TestBench();
        var phases = bench.Phases(feed ?? new ScriptedChangeFeed(), p => ProfileReloader.Reload(p, context)) with
        {
            Renderer = new SkaffoldManifestRenderer(context),
            Deployer = p => new KubernetesDeployer(kit.Client, p, statusTimeout),
        };
        var cancel = new CancellationTokenSource();
        var running = Task.Run(() => new DevLoop(profile, phases, options ?? new DevOptions(), bench).RunAsync(cancel.Token));
        return new Session(bench, running, cancel);
    }

    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(50);
        }
    }

    private static async Task<string> UntilAsync(Func<Task<string?>> probe, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Logs_of_a_Workflows_pod_and_of_the_Sensor_appear_in_the_session_and_phase_changes_are_runs()
    {
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/pipeline.yaml", Pipeline), ("wf.yaml", TriggeredWorkflow));
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        await using var session = Start(kit, files);
        await session.Bench.WaitIdleAsync(1);
        Assert.True(session.Bench.Errors.Count == 0, string.Join(" | ", session.Bench.Errors));
        Assert.Contains("Sensor/csv is running", session.Lines("status"));
        Assert.Contains("EventSource/hook is running", session.Lines("status"));

        // The Sensor's pod writes what a Sensor writes when a parameter does not resolve.
        string sensorPod = (await kubectl.OutAsync("get", "pods", "-l", "sensor-name=csv", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        kit.Store.WriteLog("default", sensorPod, "main", "failed to execute a trigger: unable to resolve 'dep' parameter value");
        await Until(() => session.Lines("logs").Contains("[sensor/csv] failed to execute a trigger: unable to resolve 'dep' parameter value"),
            "the Sensor's log line in the session: " + string.Join(" | ", session.Lines("logs")));

        // A Workflow the Sensor triggered: its pod's log from the first line, prefixed workflow/node; a failure names the node.
        string ok = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(files.Directory, "wf.yaml"), "-o", "jsonpath={.metadata.name}")).Trim();
        kit.Store.FinishWorkflowPod("default", ok, ["read 3 rows", "wrote scores.ndjson"], 0);
        string failed = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(files.Directory, "wf.yaml"), "-o", "jsonpath={.metadata.name}")).Trim();
        kit.Store.FinishWorkflowPod("default", failed, ["row 2, column score: 'x' is not an int32"], 1);

        await Until(() => session.Lines("logs").Contains($"[{ok}/{ok}] wrote scores.ndjson") && session.Lines("logs").Contains($"[{failed}/{failed}] row 2, column score: 'x' is not an int32"),
            "the Workflow pods' lines in the session: " + string.Join(" | ", session.Lines("logs")));
        Assert.Equal(["read 3 rows", "wrote scores.ndjson"], session.Lines("logs").Where(l => l.StartsWith($"[{ok}/", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 2)..]));
        Assert.Equal("read 3 rows\nwrote scores.ndjson\n", await kubectl.OutAsync("logs", ok, "-c", "main"));

        await Until(() => session.Runs.Any(r => r.Name == failed && r.Phase == EtlRunPhase.Failed) && session.Runs.Any(r => r.Name == ok && r.Phase == EtlRunPhase.Succeeded),
            "runs: " + string.Join(" | ", session.Runs));
        Assert.Equal([EtlRunPhase.Running, EtlRunPhase.Succeeded], session.Runs.Where(r => r.Name == ok).Select(r => r.Phase));
        var failure = session.Runs.Last(r => r.Name == failed);
        Assert.Equal(("Sensor/csv trigger run-etl", "Kubernetes"), (failure.Workflow, failure.Target));
        Assert.Equal($"node {failed} (main): Error (exit code 1)", failure.Message);
        Assert.Equal(1, Assert.Single(failure.Nodes).ExitCode);

        // A Workflow that is not the session's (no Sensor of its, no label of its) is neither tailed nor reported.
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"argoproj.io/v1alpha1","kind":"Workflow","metadata":{"name":"other","namespace":"default"},"spec":{"entrypoint":"m","templates":[{"name":"m","container":{"image":"busybox"}}]}}"""));
        kit.Store.FinishWorkflowPod("default", "other", ["not ours"], 0);
        string marker = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(files.Directory, "wf.yaml"), "-o", "jsonpath={.metadata.name}")).Trim();
        kit.Store.FinishWorkflowPod("default", marker, ["last"], 0);
        await Until(() => session.Lines("logs").Contains($"[{marker}/{marker}] last"), "the last Workflow's line");
        Assert.DoesNotContain(session.Lines("logs"), l => l.Contains("not ours", StringComparison.Ordinal));
        Assert.DoesNotContain(session.Runs, r => r.Name == "other");
    }

    [Fact]
    public async Task Without_logs_nothing_is_tailed_but_runs_are_still_reported()
    {
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/pipeline.yaml", Pipeline), ("wf.yaml", TriggeredWorkflow));
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        await using var session = Start(kit, files, new DevOptions { TailLogs = false });
        await session.Bench.WaitIdleAsync(1);
        string wf = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(files.Directory, "wf.yaml"), "-o", "jsonpath={.metadata.name}")).Trim();
        kit.Store.FinishWorkflowPod("default", wf, ["a line"], 0);
        await Until(() => session.Runs.Any(r => r.Name == wf && r.Phase == EtlRunPhase.Succeeded), "the run: " + string.Join(" | ", session.Runs));
        Assert.Empty(session.Lines("logs"));
    }

    [Fact]
    public async Task A_Sensor_that_does_not_run_fails_the_status_check_naming_it_why_and_its_events()
    {
        string stuck = Pipeline.Replace("  name: csv\n  namespace: default\n", "  name: csv\n  namespace: default\n  annotations:\n    argoetl.test/stuck: \"true\"\n", StringComparison.Ordinal);
        Assert.NotEqual(Pipeline, stuck);
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/pipeline.yaml", stuck));
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        await using var session = Start(kit, files, statusTimeout: TimeSpan.FromSeconds(1));
        await session.Bench.WaitIdleAsync(1);

        var error = Assert.Single(session.Bench.Events, e => e.Phase == "error");
        Assert.Equal("DevNotRunning", Assert.IsType<EtlException>(error.Item).Code);
        Assert.StartsWith("status check failed: Not running after 1 s: Sensor/csv in namespace default: Deployment csv-sensor-", error.Message, StringComparison.Ordinal);
        Assert.Contains("has 0/1 replicas available", error.Message, StringComparison.Ordinal);
        Assert.Contains("FailedScheduling: 0/1 nodes are available: 1 Insufficient memory.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("EventSource/hook in namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_services_pod_replaced_while_forwarding_the_next_connection_reaches_the_new_pod_and_stopping_frees_the_port()
    {
        int localPort = FreePort();
        using var files = new TempProject(("skaffold.yaml", Config(Forward(localPort))), ("k8s/app.yaml", App));
        await using var kit = await KubeTestKit.StartAsync();
        using var kubectl = new Kubectl(kit.Kubeconfig);
        await using var first = await Identity.StartAsync("first pod");
        await using var second = await Identity.StartAsync("second pod");
        var pods = kit.Store.Find("", "v1", "pods")!;
        string PodName() => kit.Store.List(pods, "default", "app=app", null).Body["items"]!.AsArray().Single()!["metadata"]!["name"]!.GetValue<string>();

        await using var session = Start(kit, files);
        await session.Bench.WaitIdleAsync(1);
        string before = PodName();
        kit.Store.ForwardPort("default", before, 5000, first.HostAndPort);
        Assert.Equal("first pod", await ReadThroughAsync(localPort));

        await kubectl.OutAsync("delete", "pod", before);
        string after = PodName();
        Assert.NotEqual(before, after);
        kit.Store.ForwardPort("default", after, 5000, second.HostAndPort);
        Assert.Equal("second pod", await ReadThroughAsync(localPort));
        await Until(() => session.Lines("forward").Any(l => l.Contains($"pod {before} was replaced; forwarding to {after}", StringComparison.Ordinal)),
            "the health check reports the new pod: " + string.Join(" | ", session.Lines("forward")));

        // A pod whose port refuses is reported by the health check, then its recovery.
        kit.Store.ForwardPort("default", after, 5000, $"127.0.0.1:{FreePort()}");
        await Until(() => session.Lines("forward").Any(l => l.Contains("not reaching a pod: error forwarding port 5000", StringComparison.Ordinal)), "unhealthy: " + string.Join(" | ", session.Lines("forward")));
        kit.Store.ForwardPort("default", after, 5000, second.HostAndPort);
        await Until(() => session.Lines("forward").Any(l => l.Contains($"reaching pod {after} again", StringComparison.Ordinal)), "recovered: " + string.Join(" | ", session.Lines("forward")));

        // An open connection does not hold the port after the session ends.
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, localPort);
        await session.StopAsync();
        using var again = new TcpListener(IPAddress.Loopback, localPort);
        again.Start();
        again.Stop();
    }

    [Fact]
    public async Task Once_deploys_and_leaves_it_running_and_removal_by_labels_leaves_nothing_with_the_sessions_labels()
    {
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/pipeline.yaml", Pipeline), ("k8s/app.yaml", App), ("k8s/settings.yaml", ConfigMap("settings")));
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"not-mine","namespace":"default"}}"""));
        using var kubectl = new Kubectl(kit.Kubeconfig);
        await using var session = Start(kit, files, new DevOptions { Once = true });
        await session.Running; // returns by itself
        Assert.True(session.Bench.Errors.Count == 0, string.Join(" | ", session.Bench.Errors));
        Assert.DoesNotContain(session.Bench.Events, e => e.Phase is "cleanup" or "logs" or "forward");

        string selector = $"{ApplyEngine.ProjectLabel}=dev-kloop";
        string kinds = "configmaps,services,deployments,eventsources.argoproj.io,sensors.argoproj.io";
        Assert.Equal(
            ["configmap/settings", "deployment.apps/app", "eventsource.argoproj.io/hook", "sensor.argoproj.io/csv", "service/app"],
            (await kubectl.OutAsync("get", kinds, "-A", "-l", selector, "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        // What Remove-EtlDeployment does.
        var engine = new ApplyEngine(kit.Client);
        var owned = await engine.ListOwnedAsync(KubernetesDeployer.ProjectFor(SkaffoldProject.Load(files.Directory, new ProjectContext("delete")).Profiles[0]), default);
        Assert.All(owned, o => Assert.Equal("dev-kloop", o.Project));
        var removed = await engine.DeleteAsync(owned, null, default);
        Assert.Equal(5, removed.Count);

        Assert.Empty((await kubectl.OutAsync("get", kinds + ",pods", "-A", "-l", selector, "-o", "name")).Trim());
        Assert.Empty((await kubectl.OutAsync("get", "deployments,pods", "-l", "sensor-name=csv", "-o", "name")).Trim()); // the Sensor's Deployment went with it
        Assert.Equal("configmap/not-mine", (await kubectl.OutAsync("get", "configmap", "not-mine", "-o", "name")).Trim());
    }

    [Fact]
    public async Task A_manifest_removed_mid_session_is_deleted_on_the_next_cycle()
    {
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/a.yaml", ConfigMap("keep")), ("k8s/b.yaml", ConfigMap("gone")));
        await using var kit = await KubeTestKit.StartAsync();
        using var kubectl = new Kubectl(kit.Kubeconfig);
        using var feed = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(150));
        await using var session = Start(kit, files, feed: feed);
        await session.Bench.WaitIdleAsync(1);
        Assert.Equal("configmap/gone", (await kubectl.OutAsync("get", "configmap", "gone", "-o", "name")).Trim());

        File.Delete(Path.Combine(files.Directory, "k8s", "b.yaml"));
        await UntilAsync(async () => (await kubectl.RunAsync("get", "configmap", "gone")).Err.Contains("NotFound", StringComparison.Ordinal) ? "" : null, "the removed manifest's ConfigMap is deleted");
        Assert.Contains("ConfigMap/gone -n default: deleted (no longer in the manifests)", session.Lines("deploy"));
        Assert.Equal("configmap/keep", (await kubectl.OutAsync("get", "configmap", "keep", "-o", "name")).Trim());
        Assert.True(session.Bench.Errors.Count == 0, string.Join(" | ", session.Bench.Errors));
    }

    [Fact]
    public async Task A_skaffold_yaml_edit_that_adds_a_port_forward_opens_it()
    {
        int localPort = FreePort();
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/app.yaml", App));
        await using var kit = await KubeTestKit.StartAsync();
        await using var pod = await Identity.StartAsync("the app");
        kit.Store.ForwardPort("default", "app-", 5000, pod.HostAndPort);
        using var feed = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(150));
        await using var session = Start(kit, files, feed: feed);
        await session.Bench.WaitIdleAsync(1);
        Assert.Empty(session.Lines("forward"));

        files.Write("skaffold.yaml", Config(Forward(localPort)));
        await Until(() => session.Lines("forward").Any(l => l.StartsWith($"Forwarding service/app:8080 -> 127.0.0.1:{localPort}", StringComparison.Ordinal)),
            "the new forward: " + string.Join(" | ", session.Bench.Events.Select(e => e.Message)));
        Assert.Contains(session.Bench.Events, e => e.Phase == "reload");
        Assert.Equal("the app", await ReadThroughAsync(localPort));
        Assert.True(session.Bench.Errors.Count == 0, string.Join(" | ", session.Bench.Errors));
    }

    [Fact]
    public async Task A_port_forward_that_fails_to_start_is_tried_again_next_cycle_and_logs_and_runs_are_not_started_twice()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int localPort = ((IPEndPoint)busy.LocalEndpoint).Port;
        using var files = new TempProject(("skaffold.yaml", Config(Forward(localPort))), ("k8s/app.yaml", App), ("k8s/pipeline.yaml", Pipeline), ("wf.yaml", TriggeredWorkflow));
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        using var feed = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(150));
        await using var session = Start(kit, files, feed: feed);
        await session.Bench.WaitIdleAsync(1);
        var error = Assert.Single(session.Bench.Events, e => e.Phase == "error");
        Assert.Equal("PortForwardLocalPortBusy", Assert.IsType<EtlException>(error.Item).Code);

        // The port is free now; the next cycle opens the forward, and leaves the log tailing and run watching it
        // already has alone (a second start of their watches is refused, and would end the loop).
        busy.Stop();
        files.Write("k8s/settings.yaml", ConfigMap("settings"));
        await Until(() => session.Lines("forward").Any(l => l.StartsWith($"Forwarding service/app:8080 -> 127.0.0.1:{localPort}", StringComparison.Ordinal)),
            "the forward on the next cycle: " + string.Join(" | ", session.Bench.Events.Select(e => e.Message)));

        string wf = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(files.Directory, "wf.yaml"), "-o", "jsonpath={.metadata.name}")).Trim();
        kit.Store.FinishWorkflowPod("default", wf, ["only once"], 0);
        await Until(() => session.Runs.Any(r => r.Name == wf && r.Phase == EtlRunPhase.Succeeded) && session.Lines("logs").Contains($"[{wf}/{wf}] only once"),
            "the run and its log line: " + string.Join(" | ", session.Bench.Events.Select(e => e.Message)));
        Assert.Single(session.Lines("logs"), l => l == $"[{wf}/{wf}] only once");
        Assert.Equal([EtlRunPhase.Running, EtlRunPhase.Succeeded], session.Runs.Where(r => r.Name == wf).Select(r => r.Phase));
        Assert.False(session.Running.IsCompleted, "the loop ended");
        Assert.Single(session.Bench.Errors);
    }

    [Fact]
    public async Task A_namespace_first_deployed_to_mid_session_gets_its_logs_and_runs_watched()
    {
        using var files = new TempProject(("skaffold.yaml", Config()), ("k8s/a.yaml", ConfigMap("keep")), ("wf.yaml", TriggeredWorkflow
            .Replace("namespace: default", "namespace: later", StringComparison.Ordinal)
            .Replace("  labels:\n", $"  labels:\n    {ApplyEngine.ProjectLabel}: dev-kloop\n", StringComparison.Ordinal)));
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        using var feed = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(150));
        await using var session = Start(kit, files, feed: feed);
        await session.Bench.WaitIdleAsync(1);

        Assert.Equal("configmap/keep", (await kubectl.OutAsync("get", "configmap", "keep", "-o", "name")).Trim());

        // The next cycle deploys to a namespace the first did not know.
        files.Write("k8s/a.yaml", ConfigMap("keep") + "\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: later\n---\n" + ConfigMap("later").Replace("namespace: default", "namespace: later", StringComparison.Ordinal));
        await Until(() => session.Lines("deploy").Any(l => l.StartsWith("ConfigMap/later -n later", StringComparison.Ordinal)),
            "the deploy to namespace later: " + string.Join(" | ", session.Bench.Events.Select(e => e.Message)));

        // A Workflow of the session's there: its run and its pod's log are seen.
        string wf = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(files.Directory, "wf.yaml"), "-o", "jsonpath={.metadata.name}")).Trim();
        kit.Store.FinishWorkflowPod("later", wf, ["in the later namespace"], 0);
        await Until(() => session.Runs.Any(r => r.Name == wf && r.Phase == EtlRunPhase.Succeeded) && session.Lines("logs").Contains($"[{wf}/{wf}] in the later namespace"),
            "the run and log line from namespace later: " + string.Join(" | ", session.Bench.Events.Select(e => e.Message)));
        Assert.True(session.Bench.Errors.Count == 0, string.Join(" | ", session.Bench.Errors));
    }

    private static string Forward(int localPort) => $"""
        portForward:
        - resourceType: service
          resourceName: app
          namespace: default
          port: 8080
          localPort: {localPort}
        """;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<string> ReadThroughAsync(int localPort)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, localPort);
        using var reader = new StreamReader(client.GetStream(), Encoding.UTF8);
        return await reader.ReadLineAsync() ?? string.Empty;
    }

    /// <summary>A pod's port: a TCP server that says who it is to every connection, so a test sees which pod a forward reached.</summary>
    private sealed class Identity : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _serving = Task.CompletedTask;

        public string HostAndPort => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public static Task<Identity> StartAsync(string name)
        {
            var identity = new Identity();
            identity._listener.Start();
            identity._serving = identity.ServeAsync(name);
            return Task.FromResult(identity);
        }

        private async Task ServeAsync(string name)
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(name + "\n"), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException)
            {
                // Stopped.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _serving;
            _stop.Dispose();
        }
    }
}
