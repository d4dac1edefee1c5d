using ArgoEtl.Core.Targets.Local.Events;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Events;

/// <summary>The file source on a real folder with real files.</summary>
public sealed class FileEventSourceTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("argoetl-file-events-").FullName;

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private static FileEventDefinition File(string eventType, string directory, string match) => Single<FileEventDefinition>($$"""
        kind: EventSource
        metadata:
          name: drop
        spec:
          file:
            landed:
              eventType: {{eventType}}
              watchPathConfig:
                directory: {{directory}}
                {{match}}
        """);

    [Fact]
    public async Task ACreatedFileMatchingThePatternFiresCreateUnderARelativeDirectory()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_base, "data")).FullName;
        var collector = new Collector();
        await using var source = new LocalFileEventSource(File("CREATE", "data/", @"pathRegexp: '.*\.csv$'"), collector.Sink, new LocalEventSourceOptions { BaseDirectory = _base });
        await source.StartAsync();

        await System.IO.File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "x");
        await System.IO.File.WriteAllTextAsync(Path.Combine(folder, "scores.csv"), "a,b\n1,2\n");

        var e = await collector.NextAsync();
        Assert.Equal(("drop", "file", "landed"), (e.Context.Source, e.Context.Type, e.Context.Subject));
        Assert.Equal(Path.Combine(folder, "scores.csv"), (string?)e.Data!["name"]);
        Assert.Equal("CREATE", (string?)e.Data!["op"]);
        Assert.True(e.Data!.AsObject().ContainsKey("metadata"));
        Assert.Null(e.Data!["metadata"]);
    }

    [Fact]
    public async Task RemoveAndRenameFireForTheExactPath()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_base, "watch")).FullName;
        string target = Path.Combine(folder, "a.csv");
        await System.IO.File.WriteAllTextAsync(target, "x");
        var removed = new Collector();
        var renamed = new Collector();
        await using var remove = new LocalFileEventSource(File("REMOVE", folder + "/", "path: a.csv"), removed.Sink);
        // inotify reports a rename under the old name (and a CREATE under the new one), and so does upstream.
        await using var rename = new LocalFileEventSource(File("RENAME", folder + "/", "path: a.csv"), renamed.Sink);
        await remove.StartAsync();
        await rename.StartAsync();

        System.IO.File.Move(target, Path.Combine(folder, "b.csv"));
        System.IO.File.Delete(Path.Combine(folder, "b.csv"));
        await System.IO.File.WriteAllTextAsync(target, "y");
        System.IO.File.Delete(target);

        var r = await renamed.NextAsync();
        Assert.Equal((target, "RENAME"), ((string?)r.Data!["name"], (string?)r.Data!["op"]));
        var d = await removed.NextAsync();
        Assert.Equal((target, "REMOVE"), ((string?)d.Data!["name"], (string?)d.Data!["op"]));
    }

    [Fact]
    public async Task AMissingFolderIsAnErrorAtStart()
    {
        await using var source = new LocalFileEventSource(File("CREATE", "nowhere/", "path: a.csv"), new Collector().Sink, new LocalEventSourceOptions { BaseDirectory = _base });
        var ex = await Assert.ThrowsAsync<EtlException>(() => source.StartAsync());
        Assert.Equal("FileEventDirectoryMissing", ex.Code);
    }
}
