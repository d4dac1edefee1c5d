using System.Text;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Testing;
using ArgoEtl.Tests.Substrates;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>Install-EtlInfra's core against the test API server, with the upstream manifests from ../shared/argo and s3rver as the object store's S3 API.</summary>
public sealed class InfraTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private static readonly string SharedArgo = Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "argo");

    private InfraOptions Options => new()
    {
        ManifestSource = SharedArgo,
        ObjectStoreEndpoint = new Uri(s3.Server.Endpoint),
        ObjectStoreUser = S3rver.AccessKey, // s3rver accepts only its own key id (and checks no signature)
        ArtifactBucket = "artifacts-" + Guid.NewGuid().ToString("N")[..8],
    };

    [Fact]
    public async Task Installs_every_component_idempotently_reports_health_hands_out_the_token_and_uninstalls_only_its_own()
    {
        await using var kit = await KubeTestKit.StartAsync();
        kit.Store.CrdEstablishDelay = TimeSpan.FromMilliseconds(100);
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"argo"}}"""));
        kit.Store.Seed(KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"team-notes","namespace":"argo"},"data":{"owner":"data-team"}}"""));
        var options = Options;
        var service = new InfraService(kit.Client, options);
        var engine = new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) };

        var plan = await service.Planner.PlanAsync(default);
        var first = await service.InstallAsync(plan, engine, null, default);

        Assert.Contains(first, r => r is { Kind: "EventBus", Name: "default", Action: "created" });
        Assert.Contains(first, r => r is { Kind: "RoleBinding", Name: "operate-workflow-role-binding" });
        Assert.Contains(first, r => r is { Kind: "Deployment", Name: "workflow-controller", Namespace: "argo" });
        Assert.Contains(first, r => r is { Kind: "S3Bucket", Action: "created" });
        Assert.StartsWith("unchanged (existed before", first.Single(r => r.Kind == "Namespace" && r.Name == "argo").Action, StringComparison.Ordinal);
        Assert.Contains(options.ArtifactBucket, (await s3.Client.ListBucketsAsync()).Buckets!.Select(b => b.BucketName));

        // The generated password is in the Secret only, and survives a second install.
        var secrets = kit.Store.Find("", "v1", "secrets")!;
        string Password() => Encoding.UTF8.GetString(Convert.FromBase64String(kit.Store.Get(secrets, "argo-events", "minio").Body["data"]!["root-password"]!.GetValue<string>()));
        string password = Password();
        Assert.True(password.Length >= 24);
        Assert.DoesNotContain(first, r => r.ToString().Contains(password, StringComparison.Ordinal));

        var second = await service.InstallAsync(await service.Planner.PlanAsync(default), engine, null, default);
        Assert.All(second, r => Assert.StartsWith("unchanged", r.Action, StringComparison.Ordinal));
        Assert.Equal(password, Password());

        var status = await service.StatusAsync(default);
        Assert.Equal([InfraPlanner.ArgoEvents, InfraPlanner.ArgoWorkflows, InfraPlanner.EventBus, InfraPlanner.SensorRbac, InfraPlanner.UiToken, InfraPlanner.ObjectStore], status.Select(s => s.Component));
        Assert.All(status, s => Assert.Equal("Healthy", s.Status));
        Assert.StartsWith("Bearer eyJ", await service.WorkflowTokenAsync(default), StringComparison.Ordinal);

        var owned = await InfraService.OwnedAsync(engine, default);
        await engine.DeleteAsync(owned, null, default);
        var namespaces = kit.Store.Find("", "v1", "namespaces")!;
        Assert.Equal(404, kit.Store.Get(namespaces, null, "argo-events").Status);
        Assert.Equal(200, kit.Store.Get(namespaces, null, "argo").Status);
        Assert.Equal(200, kit.Store.Get(kit.Store.Find("", "v1", "configmaps")!, "argo", "team-notes").Status);
        Assert.All(await service.StatusAsync(default), s => Assert.Equal("Missing", s.Status));
    }

    [Fact]
    public async Task Without_an_endpoint_the_bucket_is_created_through_a_port_forward_to_the_object_store_service()
    {
        await using var kit = await KubeTestKit.StartAsync();
        kit.Store.CrdEstablishDelay = TimeSpan.FromMilliseconds(50);
        // The object store's pod port 9000 is s3rver here: KubernetesClient's WebSocket tunnel -> test API server -> s3rver.
        kit.Store.ForwardPort("argo-events", "minio-", 9000, new Uri(s3.Server.Endpoint).Authority);
        var options = Options with { ObjectStoreEndpoint = null };
        var service = new InfraService(kit.Client, options);

        var applied = await service.InstallAsync(await service.Planner.PlanAsync(default), new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) }, null, default);

        Assert.Contains(applied, r => r is { Kind: "S3Bucket", Action: "created" });
        Assert.Contains(options.ArtifactBucket, (await s3.Client.ListBucketsAsync()).Buckets!.Select(b => b.BucketName));
    }

    [Fact]
    public async Task A_missing_manifest_source_file_names_the_file_and_the_release_url()
    {
        await using var kit = await KubeTestKit.StartAsync();
        string empty = Path.Combine(Path.GetTempPath(), "argoetl-empty-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(empty);
        try
        {
            var service = new InfraService(kit.Client, Options with { ManifestSource = empty });
            var error = await Assert.ThrowsAsync<EtlException>(() => service.Planner.PlanAsync(default));
            Assert.Equal("ManifestSourceIncomplete", error.Code);
            Assert.Contains("events/install.yaml", error.Message, StringComparison.Ordinal);
            Assert.Contains("https://github.com/argoproj/argo-events/releases/download/v1.9.6/install.yaml", error.Suggestion, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
