using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.TestServers.Kubernetes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>An in-process test API server with a kubeconfig, and a client of the module's own connecting through it.</summary>
internal sealed class KubeTestKit : IAsyncDisposable
{
    private readonly string _dir;

    private KubeTestKit(KubeApiServer server, string dir)
    {
        Server = server;
        _dir = dir;
        Kubeconfig = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
        Client = KubeClient.Connect(Kubeconfig);
    }

    public KubeApiServer Server { get; }

    public KubeStore Store => Server.Store;

    public string Kubeconfig { get; }

    public KubeClient Client { get; }

    public static async Task<KubeTestKit> StartAsync()
    {
        string dir = Path.Combine(Path.GetTempPath(), "argoetl-kube-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return new KubeTestKit(await KubeApiServer.StartAsync(), dir);
    }

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
