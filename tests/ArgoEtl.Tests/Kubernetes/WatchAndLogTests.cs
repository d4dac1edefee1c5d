using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Kubernetes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>The test API server's watch, pods/log and Argo controller stand-ins, read by real kubectl (what the dev loop's tests rely on).</summary>
public sealed class WatchAndLogTests
{
    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Kubectl_watches_changes_and_a_watch_from_a_resourceVersion_sees_only_what_came_after_it()
    {
        await using var kit = await KubeTestKit.StartAsync();
        using var kubectl = new Kubectl(kit.Kubeconfig);
        var configMaps = kit.Store.Find("", "v1", "configmaps")!;
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"before","namespace":"default"}}"""));
        string listVersion = kit.Store.List(configMaps, "default", null, null).Body["metadata"]!["resourceVersion"]!.GetValue<string>();

        var watched = kubectl.Start("get", "configmaps", "-n", "default", "--watch", "-o", "name");
        await Until(() => watched.Contains("configmap/before"), "kubectl lists what is there first: " + string.Join(" | ", watched));
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after","namespace":"default","labels":{"x":"1"}}}"""));
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"elsewhere","namespace":"kube-system"}}"""));
        await Until(() => watched.Contains("configmap/after"), "kubectl sees the new ConfigMap: " + string.Join(" | ", watched));
        Assert.DoesNotContain("configmap/elsewhere", watched);

        // From the list's resourceVersion: exactly the later change, then the stream ends after timeoutSeconds.
        using var http = new HttpClient();
        string body = await http.GetStringAsync(new Uri(kit.Server.Endpoint, $"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={listVersion}&labelSelector=x%3D1&timeoutSeconds=1"));
        var events = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(["ADDED after"], events.Select(e => $"{e["type"]} {e["object"]!["metadata"]!["name"]}"));
        Assert.Equal(410, (int)(await http.GetAsync(new Uri(kit.Server.Endpoint, "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=5"))).StatusCode);
    }

    [Fact]
    public async Task A_Workflow_gets_a_pod_whose_log_kubectl_follows_until_it_ends_and_the_Workflow_records_the_failure()
    {
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        string dir = Path.Combine(Path.GetTempPath(), "argoetl-wf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "wf.yaml"), """
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
                      command: [sh, -c, "echo converting; exit 3"]
                """);
            string created = (await kubectl.OutAsync("create", "--validate=false", "-f", Path.Combine(dir, "wf.yaml"), "-o", "name")).Trim();
            string name = created["workflow.argoproj.io/".Length..];
            string podLabels = await kubectl.OutAsync("get", "pod", name, "-o", $"jsonpath={{.metadata.labels.workflows\\.argoproj\\.io/workflow}}");
            Assert.Equal(name, podLabels);
            Assert.Equal("Running", await kubectl.OutAsync("get", created, "-o", "jsonpath={.status.phase}"));

            var followed = kubectl.Start("logs", "-f", name, "-c", "main");
            kit.Store.FinishWorkflowPod("default", name, ["converting", "row 2: bad value"], 3);
            await Until(() => followed.Contains("row 2: bad value"), "kubectl logs -f streams the lines: " + string.Join(" | ", followed));
            Assert.Equal(["converting", "row 2: bad value"], followed.Where(l => !l.StartsWith("stderr", StringComparison.Ordinal)));
            Assert.Equal("Failed", await kubectl.OutAsync("get", created, "-o", "jsonpath={.status.phase}"));
            Assert.Equal("Error (exit code 3)", await kubectl.OutAsync("get", created, "-o", $"jsonpath={{.status.nodes.{name}.message}}"));
            // Without -c, kubectl picks the container Argo names in kubectl.kubernetes.io/default-container.
            Assert.Equal("converting\nrow 2: bad value\n", await kubectl.OutAsync("logs", name));
            Assert.Contains("a container name must be specified", (await kit.Client.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/default/pods/{name}/log")).Message, StringComparison.Ordinal);

            // Deleting the Workflow takes its pod along, as the garbage collector does.
            await kubectl.OutAsync("delete", created);
            Assert.Contains("NotFound", (await kubectl.RunAsync("get", "pod", name)).Err, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task An_EventSource_and_a_Sensor_get_conditions_and_a_Deployment_whose_pod_is_replaced_when_deleted()
    {
        await using var kit = await KubeTestKit.StartAsync();
        ArgoCrds.Install(kit.Store);
        using var kubectl = new Kubectl(kit.Kubeconfig);
        var sensors = kit.Store.Find("argoproj.io", "v1alpha1", "sensors")!;
        kit.Store.Seed(KubeTestKit.Parse("""
            {"apiVersion":"argoproj.io/v1alpha1","kind":"Sensor","metadata":{"name":"csv","namespace":"default"},
             "spec":{"dependencies":[{"name":"d","eventSourceName":"hook","eventName":"csv"}],
                     "triggers":[{"template":{"name":"t","log":{}}}]}}
            """));
        Assert.Equal("True", await kubectl.OutAsync("get", "sensor", "csv", "-o", "jsonpath={.status.conditions[?(@.type==\"Deployed\")].status}"));
        string pod = (await kubectl.OutAsync("get", "pods", "-l", $"{WorkflowLabels.SensorName}=csv", "-o", "name")).Trim();
        Assert.StartsWith("pod/csv-sensor-", pod, StringComparison.Ordinal);

        await kubectl.OutAsync("delete", pod);
        string replaced = (await kubectl.OutAsync("get", "pods", "-l", $"{WorkflowLabels.SensorName}=csv", "-o", "name")).Trim();
        Assert.StartsWith("pod/csv-sensor-", replaced, StringComparison.Ordinal);
        Assert.NotEqual(pod, replaced);

        Assert.Equal(200, kit.Store.Delete(sensors, "default", "csv").Status);
        Assert.Empty((await kubectl.OutAsync("get", "deployments,pods", "-l", $"{WorkflowLabels.SensorName}=csv", "-o", "name")).Trim());
    }
}
