using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>
/// The project's test Kubernetes API server (tests/ArgoEtl.TestServers) as a process, for Pester and real kubectl:
/// <see cref="Kubeconfig"/> points at it (use kubectl with --validate=false: it serves no OpenAPI).
/// </summary>
public sealed class KubeApi : RunningProcess
{
    internal KubeApi()
        : base("kubeapi", Start, TimeSpan.FromSeconds(20))
    {
        // The server writes the kubeconfig just after it starts listening.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(Kubeconfig) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }
    }

    public string Url => $"http://127.0.0.1:{Port}";

    public string Kubeconfig => Path.Combine(WorkDirectory, "kubeconfig");

    private static ProcessStartInfo Start(string dir, int port)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir };
        foreach (var a in new[] { LocalAws.TestServersDll(), "kube", "--port", port.ToString(CultureInfo.InvariantCulture), "--kubeconfig", Path.Combine(dir, "kubeconfig") })
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }
}
