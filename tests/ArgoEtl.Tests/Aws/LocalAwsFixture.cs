using Amazon.Runtime;
using ArgoEtl.Core.Aws;
using ArgoEtl.Etl.Aws;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Aws;

/// <summary>A fresh in-process local AWS endpoint per test, and sessions against it.</summary>
public sealed class LocalAws : IAsyncDisposable
{
    private LocalAws(LocalAwsServer server) => Server = server;

    public LocalAwsServer Server { get; }

    public AwsState State => Server.State;

    public static async Task<LocalAws> StartAsync() => new(await LocalAwsServer.StartAsync());

    public AwsSession Session(string region = "ap-northeast-2", string secret = AwsState.SecretAccessKey) => new(new AwsConnection
    {
        Region = region,
        EndpointUrl = Server.Endpoint,
        Credentials = new BasicAWSCredentials(AwsState.AccessKeyId, secret),
    });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
