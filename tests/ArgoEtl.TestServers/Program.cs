using System.Globalization;
using ArgoEtl.TestServers.Aws;

// dotnet ArgoEtl.TestServers.dll aws [--port N]: runs the local AWS endpoint until the process is stopped (SIGTERM/Ctrl+C).
// The first line on stdout is the address it listens on.
if (args is ["aws", ..])
{
    int port = args is [_, "--port", var p] ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
    await using var server = await LocalAwsServer.StartAsync(port);
    Console.WriteLine(server.Endpoint);
    await server.WaitForShutdownAsync();
    return 0;
}

Console.Error.WriteLine("usage: ArgoEtl.TestServers aws [--port N]");
return 2;
