using ArgoEtl.Core.Lint;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Projects;

/// <summary>Each lint rule: a fixture that breaks it (found, with the line) and the valid project (not found).</summary>
public sealed class LintTests
{
    private const string Skaffold = """
        apiVersion: skaffold/v4beta13
        kind: Config
        build:
          artifacts:
          - image: etl
        manifests:
          rawYaml:
          - k8s/*.yaml
        """;

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
              endpoint: minio:9000
              accessKey:
                name: minio
                key: root-user
              secretKey:
                name: minio
                key: root-password
        """;

    private const string Sensor = """
        apiVersion: argoproj.io/v1alpha1
        kind: Sensor
        metadata:
          name: minio
        spec:
          dependencies:
          - name: dep
            eventSourceName: minio
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
                      generateName: etl-
                    spec:
                      entrypoint: etl
                      arguments:
                        parameters:
                        - name: key
                      templates:
                      - name: etl
                        inputs:
                          parameters:
                          - name: key
                        container:
                          image: etl
                          args: ["{{inputs.parameters.key}}", "{{workflow.parameters.key}}"]
                          env:
                          - name: TOKEN
                            valueFrom:
                              secretKeyRef:
                                name: api
                                key: token
                parameters:
                - src:
                    dependencyName: dep
                    dataKey: notification.0.s3.object.key
                  dest: spec.arguments.parameters.0.value
        """;

    private const string Secret = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: api
        stringData:
          token: generated-elsewhere
        """;

    private static IReadOnlyList<EtlFinding> Lint(string sensor, string eventSource = EventSource, string secret = Secret, string skaffold = Skaffold)
    {
        using var project = new TempProject(("skaffold.yaml", skaffold), ("k8s/eventsource.yaml", eventSource), ("k8s/sensor.yaml", sensor), ("k8s/secret.yaml", secret));
        var loaded = SkaffoldProject.Load(project.Directory, new ProjectContext("render", "none", new Dictionary<string, string>()));
        return ProjectLinter.Lint(loaded.Profiles[0], loaded.Warnings);
    }

    [Fact]
    public void The_valid_project_has_no_findings() => Assert.Empty(Lint(Sensor));

    [Theory]
    [InlineData("dependencyName: dep\n", "dependencyName: dpe\n", "SensorParameterUnknownDependency", 42)]
    [InlineData("eventName: put", "eventName: created", "SensorEventNameMissing", 7)]
    [InlineData("eventSourceName: minio", "eventSourceName: webhook", "SensorEventSourceMissing", 7)]
    [InlineData("dest: spec.arguments.parameters.0.value", "dest: spec.arguments.parameters.1.value", "SensorParameterDestMissing", 44)]
    [InlineData("\"{{workflow.parameters.key}}\"", "\"{{workflow.parameters.bucket}}\"", "WorkflowParameterUndeclared", 33)]
    [InlineData("\"{{inputs.parameters.key}}\", ", "\"{{inputs.parameters.object}}\", ", "TemplateInputUndeclared", 33)]
    [InlineData("entrypoint: etl", "entrypoint: main", "WorkflowEntrypointMissing", 22)]
    [InlineData("image: etl", "image: python:latest", "ImageNotPinned", 32)]
    [InlineData("key: token", "key: password", "SecretKeyMissing", 38)]
    [InlineData("name: t\n", "label: t\n", "SchemaViolation", 11)]
    public void Each_rule_finds_its_mistake_at_its_line(string valid, string broken, string rule, int line)
    {
        Assert.Contains(valid, Sensor, StringComparison.Ordinal);
        var finding = Assert.Single(Lint(Sensor.Replace(valid, broken, StringComparison.Ordinal)));
        Assert.Equal(rule, finding.Rule);
        Assert.Equal("k8s/sensor.yaml", finding.File);
        Assert.Equal(line, finding.Line);
        Assert.Equal("Sensor/minio", finding.Object);
        Assert.False(string.IsNullOrWhiteSpace(finding.Suggestion));
    }

    [Fact]
    public void An_infra_secret_key_that_infra_does_not_create_is_found_too()
    {
        var finding = Assert.Single(Lint(Sensor, EventSource.Replace("key: root-password", "key: password", StringComparison.Ordinal)));
        Assert.Equal(("SecretKeyMissing", "k8s/eventsource.yaml", 15), (finding.Rule, finding.File, finding.Line));
    }

    [Fact]
    public void A_fully_qualified_image_and_an_EventSource_with_no_events_are_judged_by_their_own_rules()
    {
        Assert.Empty(Lint(Sensor.Replace("image: etl", "image: ghcr.io/acme/tool:1.2.3", StringComparison.Ordinal)));
        var finding = Assert.Single(Lint(Sensor, EventSource.Replace("  minio:\n    put:", "  minio: {}\n  unused:", StringComparison.Ordinal)), f => f.Rule == "SchemaViolation");
        Assert.Equal("k8s/eventsource.yaml", finding.File);
    }

    [Fact]
    public void Unknown_skaffold_fields_and_empty_globs_are_warnings()
    {
        var findings = Lint(Sensor, skaffold: Skaffold.Replace("  - k8s/*.yaml", "  - k8s/*.yaml\n  - nothing/*.yml\n  rawYml: []", StringComparison.Ordinal));
        Assert.Equal(["ManifestGlobEmpty", "SkaffoldConfig"], findings.Select(f => f.Rule).Order());
        Assert.All(findings, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
    }
}
