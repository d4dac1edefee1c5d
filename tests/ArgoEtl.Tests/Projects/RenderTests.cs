using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Tests.Projects;

public sealed class RenderTests
{
    private const string Skaffold = """
        apiVersion: skaffold/v4beta13
        kind: Config
        build:
          artifacts:
          - image: etl
          - image: sidecar-tool
        manifests:
          rawYaml:
          - k8s/**/*.yaml
          - missing/*.yaml
        resourceSelector:
          allow:
          - groupKind: Pipeline.example.com
            image: [".spec.steps.*"]
        """;

    // One object of each place an image can hide; "untouched" values must stay as they are.
    private const string Workloads = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: etl
        spec:
          template:
            spec:
              initContainers:
              - name: init
                image: sidecar-tool:dev
              containers:
              - name: main
                image: etl
              - name: other
                image: nginx:1.27
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: nightly
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                  - name: run
                    image: etl:latest
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: once
        spec:
          containers:
          - name: c
            image: "etl"
            ports:
            - containerPort: 8080
            env:
            - name: QUOTED_NUMBER
              value: "8080"
        """;

    private const string Argo = """
        apiVersion: argoproj.io/v1alpha1
        kind: WorkflowTemplate
        metadata:
          name: tpl
        spec:
          templates:
          - name: a
            container:
              image: etl
          - name: b
            script:
              image: etl
              source: echo
          - name: c
            containerSet:
              containers:
              - name: x
                image: etl
            sidecars:
            - name: s
              image: sidecar-tool
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: CronWorkflow
        metadata:
          name: cron
        spec:
          schedule: "0 * * * *"
          workflowSpec:
            entrypoint: a
            templates:
            - name: a
              container:
                image: etl
        ---
        apiVersion: argoproj.io/v1alpha1
        kind: Sensor
        metadata:
          name: s3
        spec:
          dependencies:
          - name: d
            eventSourceName: e
            eventName: put
          triggers:
          - template:
              name: t
              k8s:
                operation: create
                source:
                  resource:
                    apiVersion: argoproj.io/v1alpha1
                    kind: Workflow
                    metadata:
                      generateName: run-
                    spec:
                      entrypoint: a
                      templates:
                      - name: a
                        container:
                          image: etl
        ---
        apiVersion: example.com/v1
        kind: Pipeline
        metadata:
          name: custom
        spec:
          steps:
            image: etl
          other:
            image: etl
        """;

    private static readonly Dictionary<string, string> Built = new()
    {
        ["etl"] = "registry.local:5000/etl:abc123@sha256:0123456789abcdef",
        ["sidecar-tool"] = "registry.local:5000/sidecar-tool:v2",
    };

    private static (IReadOnlyList<RenderedManifest> Manifests, List<ProjectWarning> Warnings) Render(TempProject project, IReadOnlyDictionary<string, string>? images = null)
    {
        var profile = SkaffoldProject.Load(project.Directory, new ProjectContext("render", "none", new Dictionary<string, string>())).Profiles[0];
        var warnings = new List<ProjectWarning>();
        var manifests = new ManifestRenderer(images ?? Built, new ProjectContext("render", "none", new Dictionary<string, string>()), warnings.Add).Render(profile, default);
        return (manifests, warnings);
    }

    private static TempProject Project() => new(("skaffold.yaml", Skaffold), ("k8s/workloads.yaml", Workloads), ("k8s/argo/argo.yaml", Argo));

    [Fact]
    public void Images_are_replaced_in_every_pod_template_workflow_template_sensor_workflow_and_allowed_field()
    {
        using var project = Project();
        var (manifests, warnings) = Render(project);

        Assert.Equal(["WorkflowTemplate/tpl", "CronWorkflow/cron", "Sensor/s3", "Pipeline/custom", "Deployment/web", "CronJob/nightly", "Pod/once"], manifests.Select(m => m.ToString()));
        string etl = Built["etl"];
        string all = string.Concat(manifests.Select(m => m.Yaml));
        Assert.Equal(8, CountOf(all, $"image: {etl}\n"));
        Assert.Equal(1, CountOf(all, $"image: \"{etl}\"\n"));   // a quoted scalar keeps its quotes
        Assert.Equal(2, CountOf(all, $"image: {Built["sidecar-tool"]}"));
        Assert.Contains("image: nginx:1.27", all, StringComparison.Ordinal);
        Assert.Contains("other:\n    image: etl\n", manifests.Single(m => m.Kind == "Pipeline").Yaml, StringComparison.Ordinal); // path not allowed
        Assert.Contains("value: \"8080\"", all, StringComparison.Ordinal);   // a quoted number stays a string
        Assert.Contains("containerPort: 8080", all, StringComparison.Ordinal);
        Assert.Equal("k8s/workloads.yaml:1", manifests.Single(m => m.Kind == "Deployment").Source);
        Assert.Equal("k8s/argo/argo.yaml:36", manifests.Single(m => m.Kind == "Sensor").Source);
        Assert.Equal("etl", manifests.Single(m => m.Kind == "Deployment").Namespace);
        Assert.Equal("run-", manifests.Single(m => m.Kind == "Sensor").Yaml.Contains("generateName: run-", StringComparison.Ordinal) ? "run-" : null);
        Assert.Contains(warnings, w => w.Message.Contains("'missing/*.yaml' matches no file", StringComparison.Ordinal));
    }

    [Fact]
    public void Rendering_is_deterministic_and_a_second_pass_changes_nothing()
    {
        using var project = Project();
        string first = ManifestRenderer.Join(Render(project).Manifests);
        string second = ManifestRenderer.Join(Render(project).Manifests);
        Assert.Equal(first, second);

        // Rendering the rendered output again is a no-op: replaced images no longer match an artifact name.
        project.Write("k8s/workloads.yaml", first);
        project.Write("k8s/argo/argo.yaml", "");
        Assert.Equal(first, ManifestRenderer.Join(Render(project).Manifests));
    }

    [Fact]
    public void Artifacts_without_a_built_image_keep_their_name_with_a_warning()
    {
        using var project = Project();
        var (manifests, warnings) = Render(project, new Dictionary<string, string> { ["etl"] = "r/etl:1" });
        Assert.Contains(warnings, w => w.Message.Contains("artifact 'sidecar-tool'", StringComparison.Ordinal));
        Assert.Contains("image: sidecar-tool:dev", manifests.Single(m => m.Kind == "Deployment").Yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{.IMAGE_FULLY_QUALIFIED_minio_etl}}", "reg.io/team/minio-etl:v1@sha256:ab")]
    [InlineData("{{.IMAGE_REPO_minio_etl}}", "reg.io/team/minio-etl")]
    [InlineData("{{ .IMAGE_TAG_minio_etl }}", "v1")]
    [InlineData("{{.IMAGE_DIGEST_minio_etl}}", "sha256:ab")]
    [InlineData("{{.IMAGE_REPO_NO_DOMAIN_minio_etl}}", "team/minio-etl")]
    [InlineData("ns-{{.STAGE}}", "ns-dev")]
    [InlineData("{{.UNSET}}", "<no value>")]
    [InlineData("{{default \"fallback\" .UNSET}}", "fallback")]
    [InlineData("{{.EMPTY | default \"x\"}}", "x")]
    public void Templates_expand_like_Skaffold(string template, string expected)
    {
        var values = TemplateValues.For(new Dictionary<string, string> { ["minio-etl"] = "reg.io/team/minio-etl:v1@sha256:ab" },
            new Dictionary<string, string> { ["STAGE"] = "dev", ["EMPTY"] = "" });
        Assert.Equal(expected, TemplateValues.Expand(template, values));
    }

    private const string HelmProject = """
        apiVersion: skaffold/v4beta13
        kind: Config
        build:
          artifacts:
          - image: minio-etl
        deploy:
          helm:
            releases:
            - name: minio
              chartPath: charts/minio
              namespace: "{{.STAGE}}-data"
              valuesFiles: ["values-{{.STAGE}}.yaml"]
              setValues:
                replicas: 1
              setValueTemplates:
                image.repository: "{{.IMAGE_REPO_minio_etl}}"
                image.tag: "{{.IMAGE_TAG_minio_etl}}@{{.IMAGE_DIGEST_minio_etl}}"
        """;

    private static EtlProfile HelmProfile(TempProject project) =>
        SkaffoldProject.Load(project.Directory, new ProjectContext("render", "none", new Dictionary<string, string>())).Profiles[0];

    [Fact]
    public void Helm_releases_need_helm_and_the_error_names_the_release_and_what_to_install()
    {
        using var project = new TempProject(("skaffold.yaml", HelmProject));
        var renderer = new ManifestRenderer(Built, new ProjectContext(), _ => { }) { HelmSearchPath = project.Directory };

        var error = Assert.Throws<EtlException>(() => renderer.Render(HelmProfile(project), default));

        Assert.Equal("HelmNotInstalled", error.Code);
        Assert.Contains("'minio'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Install Helm", error.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Helm_template_gets_the_chart_namespace_values_and_expanded_value_templates_and_its_output_is_rendered()
    {
        using var project = new TempProject(("skaffold.yaml", HelmProject), ("charts/minio/Chart.yaml", "name: minio\n"));

        // A stand-in helm that prints a ConfigMap holding the arguments it was given, and a Pod using the image value.
        project.Write("bin/helm", """
            #!/bin/sh
            echo "apiVersion: v1"
            echo "kind: ConfigMap"
            echo "metadata:"
            echo "  name: helm-args"
            echo "data:"
            echo "  args: '$*'"
            echo "---"
            echo "apiVersion: v1"
            echo "kind: Pod"
            echo "metadata:"
            echo "  name: p"
            echo "spec:"
            echo "  containers:"
            echo "  - name: c"
            echo "    image: minio-etl"
            """);
        File.SetUnixFileMode(Path.Combine(project.Directory, "bin/helm"), (UnixFileMode)Convert.ToInt32("755", 8));
        var images = new Dictionary<string, string> { ["minio-etl"] = "reg.io/minio-etl:v1@sha256:ab" };
        var context = new ProjectContext("render", "none", new Dictionary<string, string> { ["STAGE"] = "dev" });
        var renderer = new ManifestRenderer(images, context, _ => { }) { HelmSearchPath = Path.Combine(project.Directory, "bin") };

        var manifests = renderer.Render(HelmProfile(project), default);

        string args = manifests[0].Yaml;
        Assert.Contains($"template minio {Path.Combine(project.Directory, "charts/minio")} --namespace dev-data --values values-dev.yaml --set replicas=1 "
            + "--set image.repository=reg.io/minio-etl --set image.tag=v1@sha256:ab", args, StringComparison.Ordinal);
        Assert.Equal("helm:minio:8", manifests[1].Source);
        Assert.Contains("image: reg.io/minio-etl:v1@sha256:ab", manifests[1].Yaml, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
