using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Sensors;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>Sensors end to end: events in, per trigger the filter verdicts, whether it fires and the resolved resource.</summary>
public sealed class SensorEvaluatorTests
{
    private static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2024, 5, 6, 12, 0, 0, TimeSpan.Zero));

    private static SensorEvaluator Load(string yaml, string file = "sensor.yaml") => new(SensorParser.Parse(SensorFixtures.Document(yaml, file)), Clock);

    [Fact]
    public void Minio_json_example_creates_the_workflow_with_bucket_and_key()
    {
        string path = Path.Combine(SensorParserTests.RepoRoot(), "examples", "minio-json", "k8s", "sensor.yaml");
        var evaluator = Load(File.ReadAllText(path), path);

        var result = evaluator.Evaluate([SensorFixtures.MinioPut("minio-json", "put", "input", "incoming/scores.csv")]).Single();

        Assert.True(result.Fires);
        Assert.Null(result.Error);
        Assert.Equal(TriggerKind.K8s, result.Kind);
        Assert.True(result.Dependencies.Single().Passed);
        var workflow = result.Resource!;
        Assert.Equal("Workflow", (string?)workflow["kind"]);
        Assert.Equal("minio-json-", (string?)workflow["metadata"]!["generateName"]);
        var parameters = workflow["spec"]!["arguments"]!["parameters"]!.AsArray();
        Assert.Equal(("bucket", "input"), ((string?)parameters[0]!["name"], (string?)parameters[0]!["value"]));
        Assert.Equal(("key", "incoming/scores.csv"), ((string?)parameters[1]!["name"], (string?)parameters[1]!["value"]));
        var labels = workflow["metadata"]!["labels"]!;
        Assert.Equal("minio-json", (string?)labels["events.argoproj.io/sensor"]);
        Assert.Equal("convert-to-json", (string?)labels["events.argoproj.io/trigger"]);
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)labels["events.argoproj.io/action-timestamp"]);
        // The Sensor's own template is untouched: the next event starts from it again.
        Assert.Null(evaluator.Sensor.Triggers[0].Template["k8s"]!["source"]!["resource"]!["spec"]!["arguments"]!["parameters"]![0]!["value"]);
    }

    [Fact]
    public void An_event_from_another_source_matches_nothing_and_fires_nothing()
    {
        string path = Path.Combine(SensorParserTests.RepoRoot(), "examples", "minio-json", "k8s", "sensor.yaml");
        var evaluator = Load(File.ReadAllText(path), path);
        var other = SensorFixtures.MinioPut("minio-parquet", "put", "input", "x.csv");

        Assert.Empty(evaluator.Match(other));
        var result = evaluator.Evaluate([other]).Single();
        Assert.False(result.Fires);
        Assert.Null(result.Resource);
        Assert.Null(result.Dependencies.Single().Event);
    }

    private const string Webhook = """
        apiVersion: argoproj.io/v1alpha1
        kind: Sensor
        metadata:
          name: webhook
        spec:
          dependencies:
            - name: test-dep
              eventSourceName: webhook
              eventName: example
              filters:
                data:
                  - path: body.value
                    type: number
                    comparator: ">"
                    value: ["50"]
          triggers:
            - template:
                name: webhook-workflow-trigger
                argoWorkflow:
                  operation: submit
                  source:
                    resource:
                      apiVersion: argoproj.io/v1alpha1
                      kind: Workflow
                      metadata:
                        generateName: webhook-
                      spec:
                        entrypoint: print
                        arguments:
                          parameters:
                            - name: message
                              value: hello world
                        templates:
                          - name: print
                            container:
                              image: busybox
                  parameters:
                    - src:
                        dependencyName: test-dep
                        dataTemplate: "{{ .Input.body.message | upper }}"
                      dest: spec.arguments.parameters.0.value
                    - src:
                        dependencyName: test-dep
                        dataKey: body.name
                      dest: metadata.generateName
                      operation: append
                    - src:
                        dependencyName: test-dep
                        contextKey: source
                      dest: spec.arguments.parameters.-1.value
              parameters:
                - src:
                    dependencyName: test-dep
                    dataKey: body.image
                    value: alpine
                  dest: argoWorkflow.source.resource.spec.templates.0.container.image
        """;

    [Fact]
    public void Webhook_data_filter_and_parameters_at_both_levels()
    {
        var evaluator = Load(Webhook);
        var e = SensorFixtures.Event("webhook", "example", """{"header": {}, "body": {"value": 51, "message": "hi there", "name": "run-"}}""");

        var result = evaluator.Evaluate([e]).Single();

        Assert.True(result.Fires, result.Dependencies.Single().Reason);
        Assert.Null(result.Error);
        var wf = result.Resource!;
        Assert.Equal("HI THERE", (string?)wf["spec"]!["arguments"]!["parameters"]![0]!["value"]);
        Assert.Equal("webhook", (string?)wf["spec"]!["arguments"]!["parameters"]![1]!["value"]);
        Assert.Equal("webhook-run-", (string?)wf["metadata"]!["generateName"]);
        // The trigger-level parameter patched the template: its default applied since body.image is absent.
        Assert.Equal("alpine", (string?)wf["spec"]!["templates"]![0]!["container"]!["image"]);
        Assert.Equal(TriggerKind.ArgoWorkflow, result.Kind);
    }

    [Fact]
    public void A_filter_that_rejects_the_event_fires_nothing_and_says_why()
    {
        var result = Load(Webhook).Evaluate([SensorFixtures.Event("webhook", "example", """{"body": {"value": 50, "message": "m", "name": "n"}}""")]).Single();

        Assert.False(result.Fires);
        var dependency = result.Dependencies.Single();
        Assert.False(dependency.Passed);
        Assert.Equal("data[0]", dependency.Filters.Single().Filter);
        Assert.Contains("is not > any of [50]", dependency.Filters.Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unresolvable_parameter_names_the_trigger_the_key_and_the_line()
    {
        var result = Load(Webhook, "k8s/sensor.yaml").Evaluate([SensorFixtures.Event("webhook", "example", """{"body": {"value": 99, "message": "m"}}""")]).Single();

        Assert.True(result.Fires);
        Assert.Null(result.Resource);
        var error = result.Error!;
        Assert.Equal("SensorParameterUnresolved", error.Code);
        Assert.Contains("'webhook-workflow-trigger'", error.Message, StringComparison.Ordinal);
        Assert.Contains("dataKey 'body.name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("k8s/sensor.yaml:44", error.Message, StringComparison.Ordinal);
    }

    private const string TwoDependencies = """
        apiVersion: argoproj.io/v1alpha1
        kind: Sensor
        metadata:
          name: multi
        spec:
          dependencies:
            - name: dep-a
              eventSourceName: webhook
              eventName: a
            - name: dep-b
              eventSourceName: webhook
              eventName: b
          triggers:
            - template:
                name: needs-both
                log:
                  intervalSeconds: 1
            - template:
                name: either
                conditions: dep-a || dep-b
                http:
                  url: http://localhost:1/hook
                  method: PUT
                  payload:
                    - src:
                        dependencyName: dep-a
                        dataKey: x
                        value: none
                      dest: a
                    - src:
                        dependencyName: dep-b
                        dataKey: y
                        value: none
                      dest: b
        """;

    [Fact]
    public void Without_conditions_every_dependency_must_have_an_event()
    {
        var evaluator = Load(TwoDependencies);
        var a = SensorFixtures.Event("webhook", "a", """{"x": 1}""");
        var b = SensorFixtures.Event("webhook", "b", """{"y": 2}""");

        var onlyA = evaluator.Evaluate([a]);
        Assert.False(onlyA[0].Fires);
        Assert.True(onlyA[1].Fires);
        Assert.Equal("""{"a":"1","b":"none"}""", (string?)onlyA[1].Resource!["body"]);
        Assert.Equal("PUT", (string?)onlyA[1].Resource!["method"]);

        var both = evaluator.Evaluate([a, b]);
        Assert.True(both[0].Fires);
        Assert.Equal(["dep-a", "dep-b"], both[0].Resource!["events"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void A_session_keeps_the_latest_event_per_dependency_and_forgets_after_firing()
    {
        var session = new SensorSession(Load(TwoDependencies));
        var a1 = SensorFixtures.Event("webhook", "a", """{"x": 1}""");
        var a2 = SensorFixtures.Event("webhook", "a", """{"x": 2}""");
        var b = SensorFixtures.Event("webhook", "b", """{"y": 3}""");

        var first = session.Offer(a1);
        Assert.Equal(["either"], first.Fired.Select(f => f.Trigger));
        Assert.Empty(session.Offer(SensorFixtures.Event("webhook", "unrelated", "{}")).Dependencies);
        Assert.Equal(["either"], session.Offer(a2).Fired.Select(f => f.Trigger));

        var last = session.Offer(b);
        var needsBoth = last.Fired.Single(f => f.Trigger == "needs-both");
        // The latest event of dep-a (x = 2) is the one used.
        Assert.Equal(2, (int)needsBoth.Resource!["events"]!["dep-a"]!["data"]!["x"]!);

        // Fired: needs-both waits for new events of both dependencies again.
        Assert.DoesNotContain(session.Offer(b).Fired, f => f.Trigger == "needs-both");
    }

    [Fact]
    public void Evaluate_keeps_a_passing_event_over_a_later_failing_one()
    {
        var evaluator = Load(Webhook);
        var passing = SensorFixtures.Event("webhook", "example", """{"body": {"value": 51, "message": "m", "name": "n"}}""");
        var failing = SensorFixtures.Event("webhook", "example", """{"body": {"value": 1}}""");

        var result = evaluator.Evaluate([passing, failing]).Single();

        Assert.True(result.Fires);
        Assert.Same(passing, result.Dependencies.Single().Event);
    }

    [Fact]
    public void Parameterization_tutorial_sensor_uses_the_webhook_body()
    {
        // docs/tutorials/02-parameterization.md: the message and the whole body become Workflow arguments.
        const string yaml = """
            apiVersion: argoproj.io/v1alpha1
            kind: Sensor
            metadata:
              name: webhook
            spec:
              dependencies:
                - name: test-dep
                  eventSourceName: webhook
                  eventName: example
              triggers:
                - template:
                    name: webhook-workflow-trigger
                    k8s:
                      operation: create
                      source:
                        resource:
                          apiVersion: argoproj.io/v1alpha1
                          kind: Workflow
                          metadata:
                            generateName: webhook-
                          spec:
                            entrypoint: whalesay
                            arguments:
                              parameters:
                              - name: message
                                value: hello world
                            templates:
                            - name: whalesay
                              container:
                                image: docker/whalesay:latest
                      parameters:
                        - src:
                            dependencyName: test-dep
                            dataKey: body.message
                          dest: spec.arguments.parameters.0.value
                        - src:
                            dependencyName: test-dep
                            dataKey: body
                          dest: spec.arguments.parameters.-1.value
                        - src:
                            dependencyName: test-dep
                            contextKey: type
                          dest: metadata.generateName
                          operation: prepend
            """;
        var e = SensorFixtures.Event("webhook", "example", """{"header": {"Content-Type": ["application/json"]}, "body": {"message": "this is my first webhook"}}""");

        var wf = Load(yaml).Evaluate([e]).Single().Resource!;

        var parameters = wf["spec"]!["arguments"]!["parameters"]!.AsArray();
        Assert.Equal("this is my first webhook", (string?)parameters[0]!["value"]);
        Assert.Equal("""{"message":"this is my first webhook"}""", (string?)parameters[1]!["value"]);
        Assert.Equal("webhookwebhook-", (string?)wf["metadata"]!["generateName"]);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
