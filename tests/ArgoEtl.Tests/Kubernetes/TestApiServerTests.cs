using System.Net;
using System.Text.Json.Nodes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>The test API server's own rules the engine and kubectl rely on, seen through the module's client.</summary>
public sealed class TestApiServerTests
{
    [Fact]
    public async Task GenerateName_resourceVersion_conflicts_and_missing_namespaces_answer_like_a_real_API_server()
    {
        await using var kit = await KubeTestKit.StartAsync();
        var client = kit.Client;

        var created = await client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"run-"},"data":{"a":"1"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string name = created.Body!["metadata"]!["name"]!.GetValue<string>();
        Assert.Matches("^run-[0-9a-f]{5}$", name);
        string version = created.Body["metadata"]!["resourceVersion"]!.GetValue<string>();

        var again = await client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            KubeTestKit.Parse($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"}}"""));
        Assert.Equal((HttpStatusCode.Conflict, "AlreadyExists"), (again.Status, again.Body!["reason"]!.GetValue<string>()));

        JsonObject Replace(string rv) => KubeTestKit.Parse($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","resourceVersion":"{{{rv}}}"},"data":{"a":"2"}}""");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/default/configmaps/{name}", Replace(version))).Status);
        var stale = await client.SendAsync(HttpMethod.Put, $"/api/v1/namespaces/default/configmaps/{name}", Replace(version));
        Assert.Equal((HttpStatusCode.Conflict, "Conflict"), (stale.Status, stale.Body!["reason"]!.GetValue<string>()));

        var nowhere = await client.SendAsync(HttpMethod.Post, "/api/v1/namespaces/missing/configmaps", KubeTestKit.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"""));
        Assert.Equal(HttpStatusCode.NotFound, nowhere.Status);
        Assert.Contains("namespaces \"missing\" not found", nowhere.Message, StringComparison.Ordinal);

        var labelled = await client.SendAsync(HttpMethod.Get, "/api/v1/configmaps?labelSelector=" + Uri.EscapeDataString("app notin (x),!gone"));
        Assert.Equal(name, Assert.Single(labelled.Body!["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
    }
}
