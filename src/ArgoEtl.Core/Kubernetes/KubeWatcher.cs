using System.Net;
using k8s;
using k8s.Autorest;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>
/// A watch that keeps going (KubernetesClient's watch enumerables): it starts with the current objects (as
/// ADDED), resumes from the last resourceVersion it saw when the server ends the stream, and lists again when that
/// version has expired (410) — the informer pattern without a cache. Handlers must tolerate an object seen twice.
/// </summary>
public static class KubeWatcher
{
    public static async Task RunAsync<T>(Func<string?, CancellationToken, IAsyncEnumerable<(WatchEventType Type, T Object)>> watch, Func<T, string?> resourceVersionOf,
        Func<WatchEventType, T, Task> onEvent, Action<Exception> onFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        ArgumentNullException.ThrowIfNull(resourceVersionOf);
        ArgumentNullException.ThrowIfNull(onEvent);
        ArgumentNullException.ThrowIfNull(onFailure);
        string? resourceVersion = null;
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var (type, item) in watch(resourceVersion, cancellationToken).ConfigureAwait(false))
                {
                    failures = 0;
                    if (type == WatchEventType.Error)
                    {
                        resourceVersion = null; // expired: list again
                        break;
                    }

                    resourceVersion = resourceVersionOf(item) ?? resourceVersion;
                    if (type != WatchEventType.Bookmark)
                    {
                        await onEvent(type, item).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
                continue;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
            {
                onFailure(ex); // the kind is not served, or we may not watch it: retrying will not help
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or HttpOperationException or System.Text.Json.JsonException)
            {
                if (++failures == 3)
                {
                    onFailure(ex);
                }
            }

            // The stream ended (server timeout) or failed: resume shortly, from where it was.
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * (1 << Math.Min(failures, 5)))), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
