using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local;
using ArgoEtl.Core.Targets.Local.Steps;
using ArgoEtl.Core.Targets.Local.Workflows;

namespace ArgoEtl.Tests.Local.Workflows;

/// <summary>
/// Runs Workflows written as YAML through the real engine and real host processes: the "image" alpine:3 maps to the
/// host's /bin/sh (its commands run on the host), so every step is a real process whose exit, files and output count.
/// </summary>
internal sealed class LocalWorkflowHarness : IDisposable
{
    public const string Shell = "alpine:3";

    public LocalWorkflowHarness()
    {
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "argoetl-wf-" + Guid.NewGuid().ToString("N")[..8]);

    public ConcurrentQueue<(string Node, string Line)> Lines { get; } = new();

    public InMemoryClusterValues Values { get; } = new();

    public Dictionary<string, ManifestDocument> Templates { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, HostImage> Images { get; } = new(StringComparer.Ordinal) { [Shell] = new HostImage(["/bin/sh"], KeepCommand: true) };

    public S3ArtifactRepository? Repository { get; set; }

    public IStepRunner? Runner { get; set; }

    public Func<string, string>? Rewriter { get; set; }

    public static ManifestDocument Document(string yaml, string file = "wf.yaml")
    {
        var doc = YamlFile.Parse(yaml, file)[0];
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var json = (JsonObject)YamlFile.ToJson(doc.Root, lines)!;
        return new ManifestDocument(json, file, doc.Line, lines);
    }

    public LocalWorkflowRunner Engine() => new(new LocalWorkflowContext
    {
        RunsDirectory = Path.Combine(Root, "runs"),
        StepRunner = Runner ?? new HostProcessStepRunner(Images),
        WorkflowTemplates = Templates,
        Values = Values,
        ArtifactRepository = Repository,
        AddressRewriter = Rewriter,
        LogSink = (node, line) => Lines.Enqueue((node, line)),
    });

    public Task<EtlWorkflowRun> RunAsync(string yaml, CancellationToken cancellationToken = default) =>
        Engine().RunAsync(WorkflowSource.Of(Document(yaml)), cancellationToken);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed step's files may still be closing; the temp folder is cleaned by the OS.
        }
    }
}

internal static class RunAssertions
{
    public static EtlWorkflowNode Node(this EtlWorkflowRun run, string name) =>
        run.Nodes.SingleOrDefault(n => n.Name == name) ?? throw new Xunit.Sdk.XunitException($"no node {name}; nodes: {string.Join(", ", run.Nodes.Select(n => $"{n.Name}={n.Phase}"))}");

    public static string Describe(this EtlWorkflowRun run) =>
        $"{run}\n" + string.Join("\n", run.Nodes.Select(n => $"  {n.Name} [{n.Type}] {n.Phase} {n.Message} {(n.LogPath is { } p && File.Exists(p) ? File.ReadAllText(p).Trim() : string.Empty)}"));
}
