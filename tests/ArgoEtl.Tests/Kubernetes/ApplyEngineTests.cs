using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.TestServers.Kubernetes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>The apply engine against the test API server: order, CRD waits, idempotence, conflicts, retries, cleanup.</summary>
public sealed class ApplyEngineTests
{
    private static readonly string Crd = File.ReadAllText(Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "argo", "events", "argoproj.io_eventbus.yaml"));

    private static IReadOnlyList<KubeObject> Objects()
    {
        var crd = ArgoEtl.Core.Projects.YamlFile.ToJson(ArgoEtl.Core.Projects.YamlFile.Parse(Crd, "crd").Single().Root)!.AsObject();
        // Deliberately out of order: the engine must sort them.
        return
        [
            new(KubeTestKit.Parse("""{"apiVersion":"argoproj.io/v1alpha1","kind":"EventBus","metadata":{"name":"default","namespace":"etl"},"spec":{"jetstream":{"version":"2.10.10"}}}"""), "bus"),
            new(KubeTestKit.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"etl"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27","env":[{"name":"A","value":"1"}]}]}}}}"""), "web"),
            new(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"etl"},"data":{"mode":"dev"}}"""), "web"),
            new(crd, "bus"),
            new(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"etl"}}"""), "base"),
        ];
    }

    private static List<string> Writes(KubeStore store) =>
        [.. store.Log.Where(l => l.StartsWith("PATCH", StringComparison.Ordinal)).Select(l => l.Split(' ')[1])];

    [Fact]
    public async Task Applies_namespaces_then_CRDs_waiting_until_established_then_config_workloads_and_custom_resources()
    {
        await using var kit = await KubeTestKit.StartAsync();
        kit.Store.CrdEstablishDelay = TimeSpan.FromMilliseconds(600);
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };

        var results = await engine.ApplyAsync(Objects(), "demo", "run1", null, default);

        Assert.Equal(["namespaces", "customresourcedefinitions", "configmaps", "deployments", "eventbus"], Writes(kit.Store));
        Assert.All(results, r => Assert.Equal("created", r.Action));
        var bus = kit.Store.Get(kit.Store.Find("argoproj.io", "v1alpha1", "eventbus")!, "etl", "default");
        Assert.Equal(200, bus.Status);
        var labels = bus.Body["metadata"]!["labels"]!;
        Assert.Equal(("argoetl", "demo", "run1"), (labels["app.kubernetes.io/managed-by"]!.GetValue<string>(), labels["argoetl.io/project"]!.GetValue<string>(), labels["argoetl.io/run"]!.GetValue<string>()));
        Assert.Contains(bus.Body["metadata"]!["managedFields"]!.AsArray(), m => m!["manager"]!.GetValue<string>() == "argoetl" && m["operation"]!.GetValue<string>() == "Apply");
    }

    [Fact]
    public async Task A_second_apply_reports_everything_unchanged_and_changes_no_resource_version()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };
        await engine.ApplyAsync(Objects(), "demo", "run1", null, default);
        var deployments = kit.Store.Find("apps", "v1", "deployments")!;
        string before = kit.Store.Get(deployments, "etl", "web").Body["metadata"]!["resourceVersion"]!.GetValue<string>();

        var again = await engine.ApplyAsync(Objects(), "demo", "run1", null, default);

        Assert.All(again, r => Assert.Equal("unchanged", r.Action));
        Assert.Equal(before, kit.Store.Get(deployments, "etl", "web").Body["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Fields_another_manager_owns_are_a_conflict_unless_forced_and_list_items_merge_by_name()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };
        await engine.ApplyAsync(Objects(), "demo", "run1", null, default);
        var deployments = kit.Store.Find("apps", "v1", "deployments")!;

        // Someone else (e.g. kubectl scale, an HPA) owns spec.replicas with another value, and adds an env var of their own.
        var theirs = KubeTestKit.Parse("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"etl"},"spec":{"replicas":5,"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}}}""");
        Assert.Equal(200, kit.Store.Apply(deployments, "etl", "web", theirs, "kubectl-scale", force: true).Status);

        var changed = Objects().Select(o => o.Kind == "Deployment" ? o with { Object = SetImage(o.Object, "nginx:1.28") } : o).ToList();
        var conflict = await Assert.ThrowsAsync<EtlException>(() => engine.ApplyAsync(changed, "demo", "run1", null, default));
        Assert.Equal("KubeConflict", conflict.Code);
        Assert.Contains("kubectl-scale", conflict.Message, StringComparison.Ordinal);
        Assert.Contains(".spec.replicas", conflict.Message, StringComparison.Ordinal);

        var forced = new ApplyEngine(kit.Client) { Force = true, PollInterval = TimeSpan.FromMilliseconds(50) };
        var results = await forced.ApplyAsync(changed, "demo", "run1", null, default);
        Assert.Equal("configured", results.Single(r => r.Kind == "Deployment").Action);
        var web = kit.Store.Get(deployments, "etl", "web").Body;
        Assert.Equal(2, web["spec"]!["replicas"]!.GetValue<int>());
        var container = web["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.28", container["image"]!.GetValue<string>());
        Assert.Equal(["A", "B"], container["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Transient_API_errors_are_retried()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };
        kit.Store.FailNext(503, times: 2, method: "PATCH");
        kit.Store.FailNext(429, times: 1, method: "PATCH");

        var results = await engine.ApplyAsync(Objects(), "demo", "run1", null, default);

        Assert.Equal(5, results.Count);
        Assert.Equal(3, kit.Store.Log.Count(l => l.StartsWith("PATCH", StringComparison.Ordinal) && (l.EndsWith(" 503", StringComparison.Ordinal) || l.EndsWith(" 429", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Cleanup_deletes_exactly_what_was_applied_and_leaves_what_existed_before()
    {
        await using var kit = await KubeTestKit.StartAsync();
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"etl","labels":{"team":"data"}}}"""));
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"theirs","namespace":"etl"},"data":{"keep":"me"}}"""));
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };

        var applied = await engine.ApplyAsync(Objects(), "demo", "run1", null, default);
        Assert.StartsWith("unchanged (existed before", applied.Single(r => r.Kind == "Namespace").Action, StringComparison.Ordinal);

        var owned = await engine.ListOwnedAsync("demo", default);
        Assert.Equal(["EventBus", "Deployment", "ConfigMap", "CustomResourceDefinition"], owned.Select(o => o.Kind));
        await engine.DeleteAsync(owned, null, default);

        var namespaces = kit.Store.Find("", "v1", "namespaces")!;
        var configMaps = kit.Store.Find("", "v1", "configmaps")!;
        Assert.Equal(200, kit.Store.Get(namespaces, null, "etl").Status);
        Assert.Equal(200, kit.Store.Get(configMaps, "etl", "theirs").Status);
        Assert.Equal(404, kit.Store.Get(configMaps, "etl", "settings").Status);
        Assert.Null(kit.Store.Find("argoproj.io", "v1alpha1", "eventbus"));
        Assert.Empty(await engine.ListOwnedAsync("demo", default));
    }

    [Fact]
    public async Task A_rollout_that_never_finishes_times_out_with_the_events_that_explain_it()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var engine = new ApplyEngine(kit.Client) { Timeout = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(100) };
        var stuck = Objects().Where(o => o.Kind is "Namespace" or "Deployment")
            .Select(o => o.Kind == "Deployment" ? o with { Object = Annotate(o.Object, "argoetl.test/stuck", "true") } : o).ToList();

        var error = await Assert.ThrowsAsync<EtlException>(() => engine.ApplyAsync(stuck, "demo", "run1", null, default));

        Assert.Equal("RolloutTimeout", error.Code);
        Assert.Contains("0/2 available", error.Message, StringComparison.Ordinal);
        Assert.Contains("FailedScheduling: 0/1 nodes are available: 1 Insufficient memory.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_Argo_objects_get_422_and_kinds_without_a_CRD_are_named()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };
        var noCrd = Objects().Where(o => o.Kind is "Namespace" or "EventBus").ToList();
        var missing = await Assert.ThrowsAsync<EtlException>(() => engine.ApplyAsync(noCrd, "demo", "run1", null, default));
        Assert.Equal("KubeKindNotServed", missing.Code);
        Assert.Contains("EventBus (argoproj.io/v1alpha1)", missing.Message, StringComparison.Ordinal);

        var invalid = Objects().Select(o => o.Kind == "EventBus" ? o with { Object = KubeTestKit.Parse("""{"apiVersion":"argoproj.io/v1alpha1","kind":"EventBus","metadata":{"name":"default","namespace":"etl"},"spec":{"jetstream":{"version":2}}}""") } : o).ToList();
        var error = await Assert.ThrowsAsync<EtlException>(() => engine.ApplyAsync(invalid, "demo", "run1", null, default));
        Assert.Equal("KubeInvalid", error.Code);
        Assert.Contains("422", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject SetImage(JsonObject deployment, string image)
    {
        var copy = (JsonObject)deployment.DeepClone();
        copy["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        return copy;
    }

    private static JsonObject Annotate(JsonObject obj, string key, string value)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["metadata"]!["annotations"] = new JsonObject { [key] = value };
        return copy;
    }
}
