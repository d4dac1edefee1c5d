using ArgoEtl.Core.Dev;

namespace ArgoEtl.Tests.Dev;

/// <summary>How changed files are sorted into a ChangeSet: reload, rebuild which artifact, redeploy, or nothing.</summary>
public sealed class DevWatchListTests
{
    private static readonly string Project = Path.Combine(Path.GetTempPath(), "argoetl-watch", "pipeline");
    private static readonly string Shared = Path.Combine(Path.GetTempPath(), "argoetl-watch", "src", "Etl");

    private static DevWatchList List() => new(
        Project,
        [Path.Combine(Project, "skaffold.yaml")],
        new Dictionary<string, IReadOnlyList<string>> { ["app"] = [Path.Combine(Project, "app")], ["etl"] = [Shared] },
        [Path.Combine(Project, "k8s", "*.yaml"), Path.Combine(Project, "charts", "**", "*.tpl"), Path.Combine(Project, "values.yaml")]);

    [Theory]
    [InlineData("skaffold.yaml", "reload")]
    [InlineData("app/Program.cs", "rebuild app")]
    [InlineData("app/sub/deep/file.txt", "rebuild app")]
    [InlineData("../src/Etl/Etl.csproj", "rebuild etl")]
    [InlineData("k8s/sensor.yaml", "redeploy")]
    [InlineData("k8s/new-file.yaml", "redeploy")]
    [InlineData("k8s/nested/sensor.yaml", "")]
    [InlineData("k8s/notes.md", "")]
    [InlineData("charts/a/templates/x.tpl", "redeploy")]
    [InlineData("charts/x.tpl", "redeploy")]
    [InlineData("values.yaml", "redeploy")]
    [InlineData("README.md", "")]
    [InlineData("application/x.cs", "")]
    public void Sorts_a_changed_file(string relative, string expected)
    {
        var changes = List().Classify([Path.Combine(Project, relative)]);
        string actual = changes.ReloadConfig ? "reload" : changes.Rebuild.Count > 0 ? "rebuild " + string.Join(",", changes.Rebuild) : changes.Redeploy ? "redeploy" : string.Empty;
        Assert.Equal(expected, actual);
        Assert.Equal(expected.Length == 0, changes.IsEmpty);
    }

    [Fact]
    public void A_batch_asks_for_everything_its_files_ask_for()
    {
        var changes = List().Classify([Path.Combine(Project, "app", "a.cs"), Path.Combine(Shared, "b.cs"), Path.Combine(Project, "k8s", "c.yaml"), Path.Combine(Project, "README.md")]);
        Assert.Equal(["app", "etl"], changes.Rebuild.Order(StringComparer.Ordinal));
        Assert.True(changes.Redeploy);
        Assert.False(changes.ReloadConfig);
        Assert.Equal("rebuild app, etl; redeploy", changes.ToString());
    }
}
