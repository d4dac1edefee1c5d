using ArgoEtl.Core.Targets.Local.Sensors;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>Reading Sensors: what is modelled, and every field the local target does not implement rejected at file:line.</summary>
public sealed class SensorParserTests
{
    private const string Base = """
        apiVersion: argoproj.io/v1alpha1
        kind: Sensor
        metadata:
          name: webhook
          namespace: argo-events
        spec:
          template:
            serviceAccountName: operate-workflow-sa
          dependencies:
            - name: test-dep
              eventSourceName: webhook
              eventName: example
              filters:
                dataLogicalOperator: or
                data:
                  - path: body.value
                    type: number
                    comparator: ">"
                    value:
                      - "50"
                exprs:
                  - expr: a == "b"
                    fields:
                      - name: a
                        path: body.a
                time:
                  start: "02:30:00"
                  stop: "04:30:00"
                context:
                  source: webhook
            - name: other-dep
              eventSourceName: calendar
              eventName: example-with-interval
          triggers:
            - template:
                name: webhook-workflow-trigger
                conditions: "test-dep || other-dep"
                k8s:
                  operation: create
                  source:
                    resource:
                      apiVersion: argoproj.io/v1alpha1
                      kind: Workflow
                      metadata:
                        generateName: webhook-
                      spec:
                        entrypoint: main
                  parameters:
                    - src:
                        dependencyName: test-dep
                        dataKey: body.message
                        value: none
                      dest: spec.arguments.parameters.0.value
              retryStrategy:
                steps: 3
        """;

    [Fact]
    public void Reads_dependencies_filters_and_triggers()
    {
        var sensor = SensorParser.Parse(SensorFixtures.Document(Base));

        Assert.Equal("webhook", sensor.Name);
        Assert.Equal("argo-events", sensor.Namespace);
        var dep = sensor.Dependencies[0];
        Assert.Equal(("test-dep", "webhook", "example"), (dep.Name, dep.EventSourceName, dep.EventName));
        Assert.Equal(LogicalOperator.Or, dep.Filters!.DataLogicalOperator);
        Assert.Equal(("body.value", "number", ">", "/spec/dependencies/0/filters/data/0"), (dep.Filters.Data![0].Path, dep.Filters.Data[0].Type, dep.Filters.Data[0].Comparator, dep.Filters.Data[0].Pointer));
        Assert.Equal(["50"], dep.Filters.Data[0].Values);
        Assert.Equal("a == \"b\"", dep.Filters.Exprs![0].Expr);
        Assert.Equal(new TimeFilter("02:30:00", "04:30:00", null), dep.Filters.Time);
        Assert.Equal("webhook", dep.Filters.Context!.Source);
        var trigger = sensor.Triggers.Single();
        Assert.Equal(("webhook-workflow-trigger", TriggerKind.K8s, "test-dep || other-dep"), (trigger.Name, trigger.Kind, trigger.Conditions));
        Assert.Equal(["test-dep", "other-dep"], trigger.Dependencies);
        var action = SensorParser.ReadAction(sensor.Document, trigger.Template, trigger.Pointer + "/template");
        Assert.Equal("Workflow", (string?)action.Resource!["kind"]);
        Assert.Equal("none", action.Parameters.Single().Source.Value);
    }

    public static TheoryData<string, string, string, int> Unsupported() => new()
    {
        // name, text to replace, replacement, the line the error must name: a scalar's own line, or for a block
        // value the line where it starts (ManifestDocument.Lines holds value lines).
        { "dependency transform", "      eventName: example\n", "      eventName: example\n      transform:\n        jq: .body\n", 14 },
        { "script filter", "      filters:\n", "      filters:\n        script: return true\n", 14 },
        { "trigger kind", "        k8s:\n          operation: create\n", "        slack:\n          channel: x\n        k8s:\n          operation: create\n", 39 },
        { "trigger policy", "      retryStrategy:\n", "      policy:\n        status:\n          allow: [200]\n      retryStrategy:\n", 55 },
        { "k8s operation", "          operation: create\n", "          operation: patch\n", 39 },
        { "resource from a URL", "          source:\n            resource:\n", "          source:\n            url:\n              path: http://x\n            resource:\n", 42 },
        { "gjson query in a dataKey", "dataKey: body.message", "dataKey: body.items.#(id==1).name", 51 },
        { "unknown sprig function", "dataKey: body.message", "dataTemplate: \"{{ now | date \\\"2006\\\" }}\"", 51 },
        { "unknown field", "      eventName: example\n", "      eventName: example\n      filterz: {}\n", 13 },
        { "govaluate function", "expr: a == \"b\"", "expr: strlen(a) > 1", 22 },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Unsupported_fields_are_rejected_with_file_and_line(string name, string find, string replace, int line)
    {
        Assert.Contains(find, Base, StringComparison.Ordinal);
        string yaml = Base.Replace(find, replace, StringComparison.Ordinal);

        var ex = Assert.Throws<EtlException>(() => SensorParser.Parse(SensorFixtures.Document(yaml, "k8s/sensor.yaml")));

        Assert.True(ex.Code == SensorParser.UnsupportedField, $"{name}: {ex.Code} {ex.Message}");
        Assert.Contains($"k8s/sensor.yaml:{line}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_names_the_field_path()
    {
        string yaml = Base.Replace("      eventName: example\n", "      eventName: example\n      transform:\n        jq: .body\n", StringComparison.Ordinal);

        var ex = Assert.Throws<EtlException>(() => SensorParser.Parse(SensorFixtures.Document(yaml)));

        Assert.Contains("spec.dependencies[0].transform", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conditions_naming_an_unknown_dependency_are_invalid()
    {
        var ex = Assert.Throws<EtlException>(() => SensorParser.Parse(SensorFixtures.Document(Base.Replace("test-dep || other-dep", "test-dep && ghost", StringComparison.Ordinal))));

        Assert.Equal(SensorParser.Invalid, ex.Code);
        Assert.Contains("'ghost'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_parameter_operation_is_an_error()
    {
        string yaml = Base.Replace("              dest: spec.arguments.parameters.0.value\n", "              dest: spec.arguments.parameters.0.value\n              operation: merge\n", StringComparison.Ordinal);

        var ex = Assert.Throws<EtlException>(() => SensorParser.Parse(SensorFixtures.Document(yaml)));

        Assert.Equal("SensorParameterOperationInvalid", ex.Code);
    }

    [Fact]
    public void The_example_sensors_parse()
    {
        foreach (string example in new[] { "minio-json", "minio-parquet" })
        {
            string path = Path.Combine(RepoRoot(), "examples", example, "k8s", "sensor.yaml");
            var sensor = SensorParser.Parse(SensorFixtures.Document(File.ReadAllText(path), path));
            Assert.Equal(TriggerKind.K8s, sensor.Triggers.Single().Kind);
        }
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "examples")) && File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root");
    }
}
