using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Tests.Dev;

/// <summary>
/// A target that keeps what it was given as its live objects, removes exactly those on cleanup, and forwards "ports"
/// (recorded), so the loop's use of the optional capabilities shows in the bench's log.
/// </summary>
internal sealed class FakeDeployer(TestBench bench, EtlProfile profile) : IDeployer, IPortForwarder
{
    private readonly Dictionary<string, string> _live = new(StringComparer.Ordinal);

    public EtlProfile Profile => profile;

    public int Cleanups { get; private set; }

    /// <summary>Kind/name → the images it runs, of everything deployed and not cleaned up.</summary>
    public IReadOnlyDictionary<string, string> Live
    {
        get
        {
            lock (_live)
            {
                return new Dictionary<string, string>(_live, StringComparer.Ordinal);
            }
        }
    }

    public IReadOnlyList<string> Dependencies => [];

    public async Task<IReadOnlyList<AppliedObject>> DeployAsync(IReadOnlyList<RenderedObject> objects, IReadOnlyList<EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        await bench.CheckAsync("deploy", string.Empty, cancellationToken);
        var used = objects.SelectMany(o => ImagesIn(o.Object)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        bench.Record(c =>
        {
            c.Deployed.Add(string.Join(", ", used));
            c.Objects.AddRange(objects.Select(o => $"{o.Manifest.Kind}/{o.Manifest.Name}"));
        }, "deploy");
        lock (_live)
        {
            foreach (var o in objects)
            {
                _live[$"{o.Manifest.Kind}/{o.Manifest.Name}"] = string.Join(", ", ImagesIn(o.Object));
            }
        }

        return [.. objects.Select(o => new AppliedObject { Kind = o.Manifest.Kind, Name = o.Manifest.Name, Action = "configured", Component = "dev" })];
    }

    public async Task<IReadOnlyList<AppliedObject>> CleanupAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        Cleanups++;
        bench.Record(_ => { }, "cleanup");
        await bench.CheckAsync("cleanup", string.Empty, cancellationToken);
        lock (_live)
        {
            var removed = _live.Keys.Select(k => new AppliedObject { Kind = k.Split('/')[0], Name = k.Split('/')[1], Action = "deleted" }).ToList();
            _live.Clear();
            return removed;
        }
    }

    public Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        bench.Record(_ => { }, "forward start");
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        bench.Record(_ => { }, "forward stop");
        return Task.CompletedTask;
    }

    private static IEnumerable<string> ImagesIn(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "image" && p.Value is JsonValue v && v.TryGetValue(out string? s) ? [s] : ImagesIn(p.Value)),
        JsonArray a => a.SelectMany(ImagesIn),
        _ => [],
    };
}
