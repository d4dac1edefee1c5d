using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using ArgoEtl.Core.Targets.Local.Store;

namespace ArgoEtl.Tests.Local.Store;

/// <summary>A LocalObjectStore on a fresh state folder, with every notification it raised recorded in order.</summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    private StoreUnderTest(string state, LocalObjectStore store)
    {
        StateDirectory = state;
        Store = store;
        store.ObjectChanged += (_, n) => Notifications.Enqueue(n);
    }

    public string StateDirectory { get; }

    public LocalObjectStore Store { get; }

    public ConcurrentQueue<ObjectStoreNotification> Notifications { get; } = new();

    public static async Task<StoreUnderTest> StartAsync(Action<string>? prepare = null, TimeSpan? stabilityWindow = null)
    {
        string state = Path.Combine(Path.GetTempPath(), "argoetl-store-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        prepare?.Invoke(state);
        var options = new LocalObjectStoreOptions(state) { StabilityWindow = stabilityWindow ?? TimeSpan.FromMilliseconds(300), ScanInterval = TimeSpan.FromMilliseconds(500) };
        return new StoreUnderTest(state, await LocalObjectStore.StartAsync(options));
    }

    public AmazonS3Client Client(string? secret = null, string? accessKey = null) =>
        new(new BasicAWSCredentials(accessKey ?? Store.Credentials.AccessKeyId, secret ?? Store.Credentials.SecretAccessKey),
            new AmazonS3Config { ServiceURL = Store.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    /// <summary>Waits (up to a generous limit, not a timing assertion) until <paramref name="condition"/> holds.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 15)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(25);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
