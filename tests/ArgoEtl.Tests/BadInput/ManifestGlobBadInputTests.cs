using ArgoEtl.Core.Lint;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using ArgoEtl.Tests.Projects;

namespace ArgoEtl.Tests.BadInput;

/// <summary>Issue 17 case 8: rawYaml globs over symlink loops and over the project's own skaffold.yaml.</summary>
public sealed class ManifestGlobBadInputTests
{
    private const string EventSource = """
        apiVersion: argoproj.io/v1alpha1
        kind: EventSource
        metadata:
          name: minio
        spec:
          minio:
            put:
              bucket:
                name: etl
        """;

    private const string ConfigMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          a: b
        """;

    private static string Skaffold(string pattern) => $"""
        apiVersion: skaffold/v4beta13
        kind: Config
        manifests:
          rawYaml:
          - {pattern}
        """;

    private static (List<RenderedManifest> Rendered, IReadOnlyList<EtlFinding> Findings) RenderAndLint(TempProject project)
    {
        var loaded = SkaffoldProject.Load(project.Directory, new ProjectContext("render", kubeContext: "none"));
        var profile = loaded.Effective(null).Single();
        var rendered = new ManifestRenderer(new Dictionary<string, string>(), new ProjectContext("render", kubeContext: "none"), _ => { }).Render(profile, default);
        return ([.. rendered], ProjectLinter.Lint(profile, loaded.Warnings));
    }

    [Fact]
    public void A_symlink_loop_under_the_manifests_renders_each_manifest_once_and_never_skaffold_yaml()
    {
        using var project = new TempProject(("skaffold.yaml", Skaffold("k8s/**/*.yaml")), ("k8s/eventsource.yaml", EventSource), ("k8s/sub/settings.yaml", ConfigMap));
        Directory.CreateSymbolicLink(Path.Combine(project.Directory, "k8s", "loop"), "..");
        Directory.CreateSymbolicLink(Path.Combine(project.Directory, "k8s", "sub", "back"), "..");

        var (rendered, findings) = RenderAndLint(project);

        Assert.Equal(["EventSource/minio", "ConfigMap/settings"], rendered.Select(r => r.ToString()));
        Assert.DoesNotContain(findings, f => f.Rule is "ManifestDuplicateObject" or "ManifestNotAnObject");
    }

    [Fact]
    public void A_symlink_to_a_folder_outside_the_glob_root_is_still_followed_once()
    {
        using var project = new TempProject(("skaffold.yaml", Skaffold("k8s/**/*.yaml")), ("k8s/eventsource.yaml", EventSource), ("shared/settings.yaml", ConfigMap));
        Directory.CreateSymbolicLink(Path.Combine(project.Directory, "k8s", "shared"), Path.Combine(project.Directory, "shared"));
        Directory.CreateSymbolicLink(Path.Combine(project.Directory, "k8s", "shared-again"), Path.Combine(project.Directory, "shared"));

        var (rendered, _) = RenderAndLint(project);

        Assert.Equal(["EventSource/minio", "ConfigMap/settings"], rendered.Select(r => r.ToString()));
    }

    [Fact]
    public void A_glob_over_the_whole_project_does_not_take_skaffold_yaml_as_a_manifest()
    {
        using var project = new TempProject(("skaffold.yaml", Skaffold("'**/*.yaml'")), ("k8s/eventsource.yaml", EventSource));

        var (rendered, findings) = RenderAndLint(project);

        Assert.Equal(["EventSource/minio"], rendered.Select(r => r.ToString()));
        Assert.DoesNotContain(findings, f => f.File.EndsWith("skaffold.yaml", StringComparison.Ordinal) && f.Rule != "SkaffoldConfig");
    }

    [Fact]
    public void The_same_object_in_two_files_is_a_finding_naming_the_first_not_an_exception()
    {
        using var project = new TempProject(("skaffold.yaml", Skaffold("k8s/*.yaml")), ("k8s/a.yaml", EventSource), ("k8s/b.yaml", EventSource));

        var (_, findings) = RenderAndLint(project);

        var duplicate = Assert.Single(findings, f => f.Rule == "ManifestDuplicateObject");
        Assert.Equal("k8s/b.yaml", duplicate.File);
        Assert.Equal(FindingSeverity.Error, duplicate.Severity);
        Assert.Contains("k8s/a.yaml:1", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_glob_matching_nothing_in_a_profile_warns_at_the_profile_line()
    {
        using var project = new TempProject(("skaffold.yaml", """
            apiVersion: skaffold/v4beta13
            kind: Config
            manifests:
              rawYaml:
              - k8s/*.yaml
            profiles:
            - name: eks
              manifests:
                rawYaml:
                - eks/*.yaml
            """), ("k8s/a.yaml", EventSource));
        var loaded = SkaffoldProject.Load(project.Directory, new ProjectContext("render", kubeContext: "none"));
        var eks = loaded.Effective(["eks"]).Single();
        var warnings = new List<ProjectWarning>();

        new ManifestRenderer(new Dictionary<string, string>(), new ProjectContext("render"), warnings.Add).Render(eks, default);

        Assert.Equal(10, Assert.Single(warnings, w => w.Message.Contains("eks/*.yaml", StringComparison.Ordinal)).Line);
        Assert.Equal(10, Assert.Single(ProjectLinter.Lint(eks, []), f => f.Rule == "ManifestGlobEmpty").Line);
    }
}
