using System.Threading.Channels;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Local;
using ArgoEtl.Core.Targets.Local.Events;

namespace ArgoEtl.Tests.Local.Events;

/// <summary>Manifests from YAML text, and a sink that collects emitted events for the tests to await.</summary>
internal static class EventTestKit
{
    public static ManifestDocument Manifest(string yaml, string file = "k8s/eventsource.yaml")
    {
        var doc = YamlFile.Parse(yaml, file).Single();
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var json = (System.Text.Json.Nodes.JsonObject)YamlFile.ToJson(doc.Root, lines)!;
        return new ManifestDocument(json, file, doc.Line, lines);
    }

    public static T Single<T>(string yaml)
        where T : EventSourceDefinition => (T)EventSourceParser.Parse(Manifest(yaml)).Single();

    /// <summary>Collects events; <see cref="NextAsync"/> waits (bounded) for the next one.</summary>
    public sealed class Collector
    {
        private readonly Channel<LocalEvent> _events = Channel.CreateUnbounded<LocalEvent>();

        public LocalEventSink Sink => (e, ct) => _events.Writer.WriteAsync(e, ct);

        public async Task<LocalEvent> NextAsync(int seconds = 20)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            return await _events.Reader.ReadAsync(timeout.Token);
        }

        public bool TryTake(out LocalEvent? e) => _events.Reader.TryRead(out e);
    }
}
