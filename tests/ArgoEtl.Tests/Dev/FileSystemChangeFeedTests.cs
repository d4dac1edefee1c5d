using ArgoEtl.Core.Dev;

namespace ArgoEtl.Tests.Dev;

/// <summary>The real change feed on a real folder: what a build writes into an artifact's context is no change.</summary>
public sealed class FileSystemChangeFeedTests
{
    [Fact]
    public async Task A_first_build_creating_bin_and_obj_in_the_context_asks_for_nothing_but_a_source_edit_rebuilds()
    {
        string project = Path.Combine(Path.GetTempPath(), "argoetl-feed-" + Guid.NewGuid().ToString("N")[..8]);
        string context = Path.Combine(project, "ctx");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "Program.cs"), "// v1");
        try
        {
            using var feed = new FileSystemChangeFeed(TimeSpan.FromMilliseconds(150));
            feed.Watch(new DevWatchList(project, [Path.Combine(project, "skaffold.yaml")],
                new Dictionary<string, IReadOnlyList<string>> { ["app"] = [context] }, []));

            // What 'dotnet publish' leaves in the context: the folders themselves, then files in them.
            Directory.CreateDirectory(Path.Combine(context, "obj", "Release"));
            Directory.CreateDirectory(Path.Combine(context, "bin"));
            await File.WriteAllTextAsync(Path.Combine(context, "obj", "Release", "x.dll"), "x");
            await Task.Delay(400);
            await File.WriteAllTextAsync(Path.Combine(context, "Program.cs"), "// v2");

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var changes = await feed.NextAsync(timeout.Token);
            Assert.Equal([Path.Combine(context, "Program.cs")], changes.Files);
            Assert.Equal(["app"], changes.Rebuild);
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }
}
