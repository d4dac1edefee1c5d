using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// The local target's object store: an S3-compatible HTTP endpoint on a loopback port, over plain files at
/// <c>&lt;state&gt;/buckets/&lt;bucket&gt;/&lt;key&gt;</c>. Requests must be signed (SigV4) with <see cref="Credentials"/>.
/// Every object created or removed — through the API or by a file put into or removed from a bucket folder by hand —
/// raises <see cref="ObjectChanged"/> once the change is visible.
/// </summary>
/// <example>
/// <code>
/// await using var store = await LocalObjectStore.StartAsync(new LocalObjectStoreOptions(".argoetl/local"));
/// store.EnsureBucket("input");
/// store.ObjectChanged += (_, n) => Console.WriteLine($"{n.EventName} {n.Bucket}/{n.Key}");
/// // AWS_ENDPOINT_URL=store.Endpoint, AWS_ACCESS_KEY_ID=store.Credentials.AccessKeyId, ...
/// </code>
/// </example>
public sealed class LocalObjectStore : IAsyncDisposable
{
    private readonly ObjectFolders _folders;
    private readonly LocalObjectStoreOptions _options;
    private WebApplication? _app;
    private DroppedFileWatcher? _watcher;
    private int _disposed;

    private LocalObjectStore(LocalObjectStoreOptions options, ObjectStoreCredentials credentials)
    {
        _options = options;
        _folders = new ObjectFolders(options.StateDirectory);
        Credentials = credentials;
    }

    /// <summary>Raised after an object was created or removed and the change is visible to readers.</summary>
    /// <remarks>Handlers run on the request's (or the watcher's) thread; an exception in one is reported through <see cref="Diagnostic"/>, never to the client.</remarks>
    public event EventHandler<ObjectStoreNotification>? ObjectChanged;

    /// <summary>Things worth a verbose line: a dropped file that could not be read, a handler that threw, lost watcher events.</summary>
    public event EventHandler<string>? Diagnostic;

    /// <summary>The store's URL (http://127.0.0.1:port), for AWS_ENDPOINT_URL, the SDK's ServiceURL or an artifact repository's endpoint.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ObjectStoreCredentials Credentials { get; }

    /// <summary>The region the store reports (any region is accepted in signatures).</summary>
    public string Region => _options.Region;

    /// <summary>The folder holding one folder per bucket.</summary>
    public string BucketsDirectory => _folders.BucketsRoot;

    /// <summary>Starts listening. Files already in the bucket folders are objects from the start, not events.</summary>
    public static async Task<LocalObjectStore> StartAsync(LocalObjectStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = new LocalObjectStore(options, options.Credentials ?? ObjectStoreCredentials.Generate());
        try
        {
            await store.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the bucket's folder when it does not exist (buckets an EventSource names exist from the start).</summary>
    /// <returns>True when the bucket was created, false when it already existed.</returns>
    public bool EnsureBucket(string name)
    {
        try
        {
            return _folders.CreateBucket(name);
        }
        catch (EtlException ex) when (ex.Code == "InvalidBucketName")
        {
            throw new EtlException(EtlErrors.LocalStoreInvalidBucketName, ex.Message,
                "Use an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-'.", name);
        }
    }

    /// <summary>
    /// The environment a process (an AWS CLI, an SDK, a step) needs to reach this store: endpoint, credentials and
    /// region. It holds the secret: pass it to the child process, never print it.
    /// </summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/'),
        ["AWS_ENDPOINT_URL_S3"] = Endpoint.ToString().TrimEnd('/'),
        ["AWS_ACCESS_KEY_ID"] = Credentials.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Credentials.SecretAccessKey,
        ["AWS_REGION"] = Region,
        ["AWS_DEFAULT_REGION"] = Region,
    };

    /// <summary>The file an object is stored in (it may not exist yet).</summary>
    public string PathOf(string bucket, string key) => _folders.ObjectPath(bucket, key);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _watcher?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var uploads = new MultipartUploads(_folders);
        var handler = new S3RequestHandler(_folders, uploads, Credentials, _options.Region, Raise);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = _folders.StateDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, _options.Port);
            // Objects are as large as the disk allows; S3 itself takes 5 GB in one PUT.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Endpoint = new Uri(app.Urls.First());
        _watcher = new DroppedFileWatcher(_folders, _options.StabilityWindow, _options.ScanInterval, OnDroppedFile, OnRemovedFile, message => Diagnostic?.Invoke(this, message));
    }

    private void OnDroppedFile(string bucket, string key)
    {
        if (_folders.Adopt(bucket, key) is { } stored)
        {
            Raise(new ObjectStoreNotification("s3:ObjectCreated:Put", bucket, key, stored.Size, stored.ETag, stored.ContentType, DateTimeOffset.UtcNow));
        }
    }

    private void OnRemovedFile(string bucket, string key) =>
        Raise(new ObjectStoreNotification("s3:ObjectRemoved:Delete", bucket, key, 0, string.Empty, string.Empty, DateTimeOffset.UtcNow));

    private void Raise(ObjectStoreNotification notification)
    {
        var handlers = ObjectChanged;
        if (handlers is null)
        {
            return;
        }

        foreach (EventHandler<ObjectStoreNotification> handler in handlers.GetInvocationList().Cast<EventHandler<ObjectStoreNotification>>())
        {
            try
            {
                handler(this, notification);
            }
#pragma warning disable CA1031 // A subscriber's failure must not fail the client's request; it is reported instead.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Diagnostic?.Invoke(this, $"A subscriber to the object store's events failed on {notification.EventName} {notification.Bucket}/{notification.Key}: {ex.Message}");
            }
        }
    }
}
