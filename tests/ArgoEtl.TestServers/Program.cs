using System.Globalization;
using ArgoEtl.TestServers.Aws;
using ArgoEtl.TestServers.Kubernetes;

// dotnet ArgoEtl.TestServers.dll aws [--port N]         the local AWS endpoint
// dotnet ArgoEtl.TestServers.dll kube --kubeconfig PATH  the test Kubernetes API server, with a kubeconfig for it
// Each runs until the process is stopped (SIGTERM/Ctrl+C); the first line on stdout is the address it listens on.
int port = args.SkipWhile(a => a != "--port").Skip(1).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).FirstOrDefault();
switch (args.FirstOrDefault())
{
    case "aws":
        await using (var server = await LocalAwsServer.StartAsync(port))
        {
            Console.WriteLine(server.Endpoint);
            await server.WaitForShutdownAsync();
        }

        return 0;
    case "kube":
        await using (var server = await KubeApiServer.StartAsync(port))
        {
            if (args.SkipWhile(a => a != "--kubeconfig").Skip(1).FirstOrDefault() is { } kubeconfig)
            {
                server.WriteKubeconfig(kubeconfig);
            }

            Console.WriteLine(server.Endpoint);
            await server.WaitForShutdownAsync();
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: ArgoEtl.TestServers (aws | kube --kubeconfig PATH) [--port N]");
        return 2;
}
