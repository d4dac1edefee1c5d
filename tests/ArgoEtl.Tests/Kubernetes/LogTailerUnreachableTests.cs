using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Targets.Kubernetes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>
/// The log tailer against the test API server when asking whose a Workflow is fails as a dropped network does: the
/// failure is reported and the namespace's pod watch goes on, so the pod's lines come once the API answers again.
/// </summary>
public sealed class LogTailerUnreachableTests
{
    /// <summary>The network in front of the client: while <see cref="Dropping"/>, a GET of one Workflow fails as a refused connection does.</summary>
    private sealed class DroppingWorkflowReads : DelegatingHandler
    {
        public volatile bool Dropping = true;

        public int Dropped;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Dropping && request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.Contains("/workflows/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Dropped);
                throw new HttpRequestException("Connection refused (127.0.0.1)");
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class Events : IProgress<DevEvent>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<DevEvent> _events = new();

        public IReadOnlyList<DevEvent> All => [.. _events];

        public void Report(DevEvent value) => _events.Enqueue(value);
    }

    [Fact]
    public async Task A_workflow_read_that_fails_is_reported_and_the_pod_watch_goes_on_tailing_once_the_api_answers()
    {
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        string file = Path.Combine(Path.GetTempPath(), "argoetl-wf-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        File.WriteAllText(file, """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: etl-
              namespace: default
            spec:
              entrypoint: main
              templates:
              - name: main
                container:
                  image: busybox
            """);
        string name;
        try
        {
            name = (await kubectl.OutAsync("create", "--validate=false", "-f", file, "-o", "jsonpath={.metadata.name}")).Trim();
        }
        finally
        {
            File.Delete(file);
        }

        var network = new DroppingWorkflowReads();
        using var client = KubeClient.Connect(kit.Kubeconfig, null, network);
        var session = new KubernetesSession("p", "default") { Namespaces = ["default"], Workflows = [$"default/{name}"] };
        var tailer = new KubernetesLogTailer(client, () => session);
        var events = new Events();
        await tailer.StartAsync(events, CancellationToken.None);
        try
        {
            // The Workflow's pod is running: whose it is cannot be read, which is said, and nothing is tailed yet.
            await Until(() => events.All.Any(e => e.Message.StartsWith($"Not tailing Workflow {name} in namespace default for now", StringComparison.Ordinal)),
                "the failed read is reported: " + string.Join(" | ", events.All.Select(e => e.Message)));
            var reported = events.All.First(e => e.Message.StartsWith("Not tailing", StringComparison.Ordinal));
            Assert.Equal("KubeApiUnreachable", Assert.IsType<ArgoEtl.EtlException>(reported.Item).Code);
            Assert.True(network.Dropped > 0);

            // The API answers again; the pod's next change is seen by the same watch and its log followed.
            network.Dropping = false;
            kit.Store.FinishWorkflowPod("default", name, ["after the outage"], 0);
            await Until(() => events.All.Any(e => e.Message == $"[{name}/{name}] after the outage"),
                "the pod's line through the watch that saw the failure: " + string.Join(" | ", events.All.Select(e => e.Message)));
        }
        finally
        {
            await tailer.StopAsync();
        }
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
}
