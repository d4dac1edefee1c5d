using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>One change a watch streams: ADDED, MODIFIED or DELETED, and the object as it was then.</summary>
public sealed record KubeWatchEvent(long ResourceVersion, string Type, JsonObject Object);

/// <summary>An open watch: the events to send first (the backlog after the requested resourceVersion, or the current objects), then live ones.</summary>
public sealed class KubeWatch(IReadOnlyList<KubeWatchEvent> backlog, ChannelReader<KubeWatchEvent> live, long resourceVersion, Action close) : IDisposable
{
    public IReadOnlyList<KubeWatchEvent> Backlog { get; } = backlog;

    public ChannelReader<KubeWatchEvent> Live { get; } = live;

    /// <summary>The store's resourceVersion when the watch opened (for the initial-events bookmark).</summary>
    public long ResourceVersion { get; } = resourceVersion;

    public void Dispose() => close();
}

// Watch: every write is kept as an event per resource, so a watch from any resourceVersion since the server started
// sees exactly the changes after it, as the real API server's watch cache serves them.
public sealed partial class KubeStore
{
    private readonly Dictionary<string, List<KubeWatchEvent>> _history = new(StringComparer.Ordinal);
    private readonly List<(string Bucket, Channel<KubeWatchEvent> Channel)> _watchers = [];

    private void Notify(KubeResourceType type, string eventType, Stored stored)
    {
        var obj = Render(stored);
        long version;
        if (eventType == "DELETED")
        {
            version = ++_resourceVersion;
            obj["metadata"]!["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            version = long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        }

        string bucket = type.Group + "/" + type.Plural;
        var ev = new KubeWatchEvent(version, eventType, obj);
        if (!_history.TryGetValue(bucket, out var events))
        {
            events = [];
            _history[bucket] = events;
        }

        events.Add(ev);
        foreach (var (b, channel) in _watchers)
        {
            if (b == bucket)
            {
                channel.Writer.TryWrite(ev);
            }
        }
    }

    /// <summary>
    /// Opens a watch on a resource. No resourceVersion (or "0"), or <paramref name="sendInitialEvents"/>: the current
    /// objects as ADDED first; otherwise the changes after that resourceVersion. Null (410 Gone) for a version from
    /// before the server started.
    /// </summary>
    public KubeWatch? OpenWatch(KubeResourceType type, string? resourceVersion, bool sendInitialEvents)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_gate)
        {
            string bucket = type.Group + "/" + type.Plural;
            List<KubeWatchEvent> backlog;
            if (sendInitialEvents || string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                backlog = [.. Bucket(type).Values.Select(s => new KubeWatchEvent(_resourceVersion, "ADDED", Render(s)))];
            }
            else if (!long.TryParse(resourceVersion, CultureInfo.InvariantCulture, out long from) || from < 1000)
            {
                return null;
            }
            else
            {
                backlog = [.. (_history.GetValueOrDefault(bucket) ?? []).Where(e => e.ResourceVersion > from)];
            }

            var channel = Channel.CreateUnbounded<KubeWatchEvent>();
            var entry = (bucket, channel);
            _watchers.Add(entry);
            return new KubeWatch(backlog, channel.Reader, _resourceVersion, () =>
            {
                lock (_gate)
                {
                    _watchers.Remove(entry);
                }

                channel.Writer.TryComplete();
            });
        }
    }

    /// <summary>Whether an object matches a watch's namespace and selectors.</summary>
    public static bool Matches(KubeResourceType type, JsonObject obj, string? ns, string? labelSelector, string? fieldSelector)
    {
        ArgumentNullException.ThrowIfNull(type);
        return (ns is null || !type.Namespaced || obj["metadata"]?["namespace"]?.GetValue<string>() == ns)
            && Selectors.MatchesLabels(obj, labelSelector) && Selectors.MatchesFields(obj, fieldSelector);
    }
}
