using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Steps;
using ArgoEtl.Core.Targets.Local.Workflows;

namespace ArgoEtl.Tests.Local.Workflows;

public sealed class WorkflowEngineTests : IDisposable
{
    private readonly LocalWorkflowHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Steps_pass_output_parameters_along_in_group_order()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              generateName: pass-
            spec:
              entrypoint: main
              arguments:
                parameters:
                - name: greeting
                  value: hello
              templates:
              - name: main
                steps:
                - - name: gen
                    template: write
                    arguments:
                      parameters:
                      - name: text
                        value: "{{workflow.parameters.greeting}} from {{workflow.name}}"
                - - name: use
                    template: echo
                    arguments:
                      parameters:
                      - name: text
                        value: "got {{steps.gen.outputs.parameters.said}}"
                outputs:
                  parameters:
                  - name: final
                    valueFrom:
                      parameter: "{{steps.use.outputs.result}}"
              - name: write
                inputs:
                  parameters:
                  - name: text
                container:
                  image: alpine:3
                  command: [sh, -c]
                  args: ["printf '%s' '{{inputs.parameters.text}}' > /tmp/said.txt"]
                outputs:
                  parameters:
                  - name: said
                    valueFrom:
                      path: /tmp/said.txt
              - name: echo
                inputs:
                  parameters:
                  - name: text
                container:
                  image: alpine:3
                  command: [sh, -c]
                  args: ["echo '{{inputs.parameters.text}}'"]
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.StartsWith("pass-", run.Name, StringComparison.Ordinal);
        Assert.Equal(10, run.Name.Length);
        Assert.Equal($"hello from {run.Name}", run.Node($"{run.Name}[0].gen").Outputs["said"]);
        Assert.Equal($"got hello from {run.Name}", run.Node(run.Name).Outputs["final"]);
        Assert.Equal("Steps", run.Node(run.Name).Type);
        Assert.Equal("StepGroup", run.Node($"{run.Name}[1]").Type);
        Assert.Contains(_h.Lines, l => l.Node == $"{run.Name}[1].use" && l.Line == $"got hello from {run.Name}");
        Assert.True(File.Exists(run.Node($"{run.Name}[1].use").LogPath));
        Assert.True(File.Exists(Path.Combine(run.RunDirectory!, "run.json")));
    }

    [Fact]
    public async Task Dag_runs_by_depends_and_a_handled_failure_does_not_fail_the_run()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              name: dag
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - name: a
                    template: exit
                    arguments: {parameters: [{name: code, value: "0"}]}
                  - name: b
                    depends: a.Succeeded
                    template: exit
                    arguments: {parameters: [{name: code, value: "0"}]}
                  - name: c
                    dependencies: [a]
                    template: exit
                    arguments: {parameters: [{name: code, value: "3"}]}
                  - name: on-failure
                    depends: "c.Failed && b"
                    template: exit
                    arguments: {parameters: [{name: code, value: "0"}]}
                  - name: after-c
                    depends: "c || (b.Skipped && !a.Succeeded)"
                    template: exit
                    arguments: {parameters: [{name: code, value: "0"}]}
              - name: exit
                inputs:
                  parameters:
                  - name: code
                container:
                  image: alpine:3
                  command: [sh, -c, "exit {{inputs.parameters.code}}"]
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("dag.b").Phase);
        Assert.Equal(EtlRunPhase.Failed, run.Node("dag.c").Phase);
        Assert.Equal(3, run.Node("dag.c").ExitCode);
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("dag.on-failure").Phase);
        Assert.Equal(EtlRunPhase.Omitted, run.Node("dag.after-c").Phase);
        Assert.Equal("DAG", run.Node("dag").Type);
    }

    [Fact]
    public async Task A_failing_step_fails_the_run_with_its_exit_code_and_stops_later_groups()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: fails}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - {name: bad, template: bad}
                - - {name: never, template: bad}
              - name: bad
                container:
                  image: alpine:3
                  command: [sh, -c, "echo broken >&2; exit 7"]
            """);

        Assert.Equal(EtlRunPhase.Failed, run.Phase);
        Assert.Equal(7, run.Node("fails[0].bad").ExitCode);
        Assert.Contains("fails[0].bad", run.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 7", run.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Nodes, n => n.Name == "fails[1].never");
        Assert.Contains("broken", File.ReadAllText(run.Node("fails[0].bad").LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_and_loops_over_items_and_a_json_param_name_nodes_as_argo_does()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: loops}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - name: list
                    template: list
                - - name: each
                    template: echo
                    withParam: "{{steps.list.outputs.result}}"
                    when: "{{item.n}} >= 2"
                    arguments: {parameters: [{name: text, value: "{{item.name}}"}]}
                  - name: fixed
                    template: echo
                    withItems: [red, blue]
                    when: "'{{item}}' != 'blue'"
                    arguments: {parameters: [{name: text, value: "{{item}}"}]}
                - - name: count
                    template: echo
                    arguments: {parameters: [{name: text, value: "{{steps.each.outputs.parameters.said}}"}]}
              - name: list
                script:
                  image: alpine:3
                  command: [sh]
                  source: |
                    echo '[{"name":"one","n":1},{"name":"two","n":2},{"name":"three","n":3}]'
              - name: echo
                inputs:
                  parameters: [{name: text}]
                container:
                  image: alpine:3
                  command: [sh, -c, "printf '%s' '{{inputs.parameters.text}}' > /tmp/said; cat /tmp/said"]
                outputs:
                  parameters:
                  - name: said
                    valueFrom: {path: /tmp/said}
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.Equal(EtlRunPhase.Skipped, run.Node("loops[1].each(0:n:1,name:one)").Phase);
        Assert.Equal("two", run.Node("loops[1].each(1:n:2,name:two)").Outputs["said"]);
        Assert.Equal("three", run.Node("loops[1].each(2:n:3,name:three)").Outputs["said"]);
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("loops[1].fixed(0:red)").Phase);
        Assert.Equal(EtlRunPhase.Skipped, run.Node("loops[1].fixed(1:blue)").Phase);
        Assert.Equal("[\"two\",\"three\"]", run.Node("loops[2].count").Outputs["said"]);
    }

    [Fact]
    public async Task Retries_run_attempts_as_child_nodes_until_one_succeeds_or_the_limit()
    {
        string counter = Path.Combine(_h.Root, "count");
        string yaml = $$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: retry}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - {name: flaky, template: flaky}
              - name: flaky
                retryStrategy:
                  limit: LIMIT
                  retryPolicy: OnFailure
                  backoff: {duration: "10ms", factor: 2}
                container:
                  image: alpine:3
                  command: [sh, -c, 'n=$(cat {{counter}} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {{counter}}; [ $n -ge 3 ]']
            """;

        var run = await _h.RunAsync(yaml.Replace("LIMIT", "4", StringComparison.Ordinal));
        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.Equal("Retry", run.Node("retry[0].flaky").Type);
        Assert.Equal(EtlRunPhase.Failed, run.Node("retry[0].flaky(0)").Phase);
        Assert.Equal(EtlRunPhase.Failed, run.Node("retry[0].flaky(1)").Phase);
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("retry[0].flaky(2)").Phase);
        Assert.DoesNotContain(run.Nodes, n => n.Name == "retry[0].flaky(3)");

        File.Delete(counter);
        run = await _h.RunAsync(yaml.Replace("LIMIT", "1", StringComparison.Ordinal));
        Assert.Equal(EtlRunPhase.Failed, run.Phase);
        Assert.Equal(EtlRunPhase.Failed, run.Node("retry[0].flaky(1)").Phase);
        Assert.DoesNotContain(run.Nodes, n => n.Name == "retry[0].flaky(2)");
    }

    [Fact]
    public async Task Suspend_with_a_duration_waits_then_goes_on()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: pause}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - {name: wait, template: wait}
                - - {name: after, template: ok}
              - name: wait
                suspend: {duration: "1s"}
              - name: ok
                container: {image: alpine:3, command: [sh, -c, "echo done"]}
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        var wait = run.Node("pause[0].wait");
        Assert.Equal("Suspend", wait.Type);
        Assert.True(wait.FinishedAt >= wait.StartedAt + TimeSpan.FromSeconds(0.9));
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("pause[1].after").Phase);
    }

    [Theory]
    [InlineData("template")]
    [InlineData("workflow")]
    public async Task A_step_past_its_deadline_is_killed_and_the_run_fails(string level)
    {
        string pidFile = Path.Combine(_h.Root, "pid");
        string templateDeadline = level == "template" ? "activeDeadlineSeconds: 1" : string.Empty;
        string workflowDeadline = level == "workflow" ? "activeDeadlineSeconds: 1" : string.Empty;
        var run = await _h.RunAsync($$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: slow}
            spec:
              entrypoint: main
              {{workflowDeadline}}
              templates:
              - name: main
                steps:
                - - {name: sleep, template: sleep}
              - name: sleep
                {{templateDeadline}}
                container:
                  image: alpine:3
                  command: [sh, -c, "sleep 60 & echo $! > {{pidFile}}; wait"]
            """);

        Assert.Equal(EtlRunPhase.Failed, run.Phase);
        Assert.Contains("deadline", run.Node("slow[0].sleep").Message ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(level == "workflow" ? "activeDeadlineSeconds" : "slow[0].sleep", run.Message, StringComparison.Ordinal);

        // The grandchild (sleep 60) went with the tree.
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"sleep {pid} still runs");
    }

    [Fact]
    public async Task Secrets_and_config_maps_reach_env_and_a_missing_one_is_named()
    {
        _h.Values.Secrets["minio"] = new() { ["accesskey"] = "AKID", ["secretkey"] = "s3cr3t" };
        _h.Values.ConfigMaps["settings"] = new() { ["MODE"] = "fast" };
        _h.Rewriter = text => text.Replace("http://minio:9000", "http://127.0.0.1:9999", StringComparison.Ordinal);
        const string Yaml = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: env}
            spec:
              entrypoint: main
              templates:
              - name: main
                container:
                  image: alpine:3
                  command: [sh, -c, 'printf "%s|%s|%s|%s|%s" "$AWS_ACCESS_KEY_ID" "$CFG_MODE" "$S3" "$(pwd)" "$1" > /out/env.txt', x]
                  args: ["http://minio:9000/bucket"]
                  workingDir: /work
                  env:
                  - {name: AWS_ACCESS_KEY_ID, valueFrom: {secretKeyRef: {name: minio, key: KEY}}}
                  - {name: S3, value: "http://minio:9000"}
                  envFrom:
                  - {configMapRef: {name: settings}, prefix: CFG_}
                  volumeMounts:
                  - {name: out, mountPath: /out}
                  - {name: work, mountPath: /work}
                outputs:
                  parameters:
                  - {name: env, valueFrom: {path: /out/env.txt}}
              volumes:
              - {name: out, emptyDir: {}}
              - {name: work, emptyDir: {}}
            """;

        var run = await _h.RunAsync(Yaml.Replace("key: KEY", "key: accesskey", StringComparison.Ordinal));
        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        string work = Path.Combine(run.RunDirectory!, "env", "volumes", "work");
        Assert.Equal($"AKID|fast|http://127.0.0.1:9999|{work}|http://127.0.0.1:9999/bucket", run.Node("env").Outputs["env"]);

        var ex = await Assert.ThrowsAsync<EtlException>(() => _h.RunAsync(Yaml.Replace("key: KEY", "key: missing", StringComparison.Ordinal)));
        Assert.Equal("LocalReferenceNotFound", ex.Code);
        Assert.Contains("'missing'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Secret 'minio'", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Message.Contains("wf.yaml:14", StringComparison.Ordinal), ex.Message);
        Assert.DoesNotContain("s3cr3t", ex.Message, StringComparison.Ordinal);

        // A reference whose name comes from a parameter is checked when the step runs: the node errs, naming it.
        run = await _h.RunAsync(Yaml.Replace("name: minio, key: KEY", "name: \"{{workflow.name}}\", key: x", StringComparison.Ordinal));
        Assert.Equal(EtlRunPhase.Error, run.Phase);
        Assert.Equal(EtlRunPhase.Error, run.Node("env").Phase);
        Assert.Contains("Secret 'env'", run.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spec", "podSpecPatch: '{}'", "spec.podSpecPatch", 6)]
    [InlineData("template", "daemon: true", "spec.templates[0].daemon", 9)]
    [InlineData("container", "  securityContext: {runAsUser: 1}", "spec.templates[0].container.securityContext", 11)]
    [InlineData("template", "sidecars: [{name: s, image: x}]", "spec.templates[0].sidecars", 9)]
    [InlineData("spec", "hooks: {exit: {template: main}}", "spec.hooks", 6)]
    [InlineData("spec", "synchronization: {mutex: {name: m}}", "spec.synchronization", 6)]
    public async Task An_unsupported_field_stops_the_run_before_it_starts_naming_field_and_line(string where, string field, string name, int line)
    {
        string marker = Path.Combine(_h.Root, "ran");
        string yaml = $$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata:
              name: refused
            spec:
              {{(where == "spec" ? field : "entrypoint: main")}}
              {{(where == "spec" ? "entrypoint: main" : "templates:")}}
              {{(where == "spec" ? "templates:" : "- name: main")}}
              {{(where == "spec" ? "- name: main" : where == "template" ? "  " + field : "  steps: []")}}
                container:
                  image: alpine:3
                {{(where == "container" ? field : "  command: [sh, -c, 'touch " + marker + "']")}}
            """;
        if (where == "container")
        {
            yaml = yaml.Replace("    steps: []\n", string.Empty, StringComparison.Ordinal) + $"\n      command: [sh, -c, 'touch {marker}']";
        }

        var ex = await Assert.ThrowsAsync<EtlException>(() => _h.RunAsync(yaml));
        Assert.Equal("LocalUnsupportedField", ex.Code);
        Assert.True(ex.Message.Contains($"wf.yaml:{line}", StringComparison.Ordinal), ex.Message + "\n" + yaml);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"wf.yaml:{line}", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker));
        Assert.False(Directory.Exists(Path.Combine(_h.Root, "runs", "refused")));
    }

    [Fact]
    public async Task A_suspend_without_duration_and_a_missing_template_are_refused_with_their_line()
    {
        var ex = await Assert.ThrowsAsync<EtlException>(() => _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: bad}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - {name: a, template: nowhere}
            """));
        Assert.Equal("LocalTemplateNotFound", ex.Code);
        Assert.Contains("wf.yaml:9", ex.Message, StringComparison.Ordinal);

        ex = await Assert.ThrowsAsync<EtlException>(() => _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: bad}
            spec:
              entrypoint: main
              templates:
              - name: main
                suspend: {}
            """));
        Assert.Equal("LocalUnsupportedField", ex.Code);
        Assert.Contains("wf.yaml:8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_refs_and_workflow_template_refs_resolve_from_the_project_with_enums_checked()
    {
        _h.Templates["tools"] = LocalWorkflowHarness.Document("""
            apiVersion: argoproj.io/v1alpha1
            kind: WorkflowTemplate
            metadata: {name: tools}
            spec:
              entrypoint: say
              arguments:
                parameters:
                - {name: who, value: nobody}
              templates:
              - name: say
                inputs:
                  parameters:
                  - {name: who}
                  - {name: tone, default: calm, enum: [calm, loud]}
                script:
                  image: alpine:3
                  command: [sh]
                  source: |
                    echo "{{inputs.parameters.tone}} {{inputs.parameters.who}}"
            """, "tools.yaml");

        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: byref}
            spec:
              workflowTemplateRef: {name: tools}
              arguments:
                parameters:
                - {name: who, value: world}
            """);
        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.Contains(_h.Lines, l => l.Node == "byref" && l.Line == "calm world");

        run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: steps-ref}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - name: shout
                    templateRef: {name: tools, template: say}
                    arguments:
                      parameters: [{name: who, value: you}, {name: tone, value: angry}]
            """);
        Assert.Equal(EtlRunPhase.Failed, run.Phase);
        Assert.Equal(EtlRunPhase.Error, run.Node("steps-ref[0].shout").Phase);
        Assert.Contains("not one of calm, loud", run.Message, StringComparison.Ordinal);
        Assert.Contains("tools.yaml:", run.Message, StringComparison.Ordinal);
    }
}

public sealed class WorkflowEngineMoreTests : IDisposable
{
    private readonly LocalWorkflowHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Dag_loops_make_a_task_group_whose_outputs_aggregate_and_feed_any_succeeded()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: fan, namespace: etl}
            spec:
              entrypoint: main
              templates:
              - name: main
                dag:
                  tasks:
                  - name: each
                    template: code
                    withItems: ["0", "1", "0"]
                    arguments: {parameters: [{name: code, value: "{{item}}"}]}
                  - name: after
                    depends: each.AnySucceeded
                    template: code
                    arguments: {parameters: [{name: code, value: "0"}, {name: note, value: "{{tasks.each.outputs.parameters.code}} {{workflow.namespace}} {{workflow.uid}}"}]}
              - name: code
                inputs:
                  parameters: [{name: code}, {name: note, default: ""}]
                script:
                  image: alpine:3
                  command: [sh]
                  source: |
                    echo '{{inputs.parameters.note}}'
                    echo -n "{{inputs.parameters.code}}" > /tmp/code
                    exit {{inputs.parameters.code}}
                outputs:
                  parameters:
                  - {name: code, valueFrom: {path: /tmp/code}}
            """);

        // each's failure is looked at by after's depends (AnySucceeded), so it does not fail the DAG.
        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.Equal("TaskGroup", run.Node("fan.each").Type);
        Assert.Equal(EtlRunPhase.Failed, run.Node("fan.each").Phase);
        Assert.Equal(EtlRunPhase.Failed, run.Node("fan.each(1:1)").Phase);
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("fan.after").Phase);
        var line = Assert.Single(_h.Lines, l => l.Node == "fan.after").Line;
        Assert.Matches(@"^\[""0"",""0""\] etl [0-9a-f-]{36}$", line);
    }

    [Fact]
    public async Task A_project_image_runs_its_host_entrypoint_in_place_of_the_image_command()
    {
        _h.Images["registry.local/etl:dev"] = new HostImage(["/bin/sh", "-c"]);
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: project}
            spec:
              entrypoint: main
              templates:
              - name: main
                container:
                  image: registry.local/etl:dev
                  command: [/app/argoetl-etl]
                  args: ['echo "$MODE" > /tmp/mode']
                  env: [{name: MODE, value: convert}]
                outputs:
                  parameters: [{name: mode, valueFrom: {path: /tmp/mode}}]
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.Equal("convert", run.Node("project").Outputs["mode"]);
        Assert.True(File.Exists(Path.Combine(run.RunDirectory!, "project", "fs", "tmp", "mode")));
    }

    [Fact]
    public async Task Cancelling_a_run_kills_the_running_step_tree_and_throws()
    {
        string pidFile = Path.Combine(_h.Root, "pid");
        using var cancel = new CancellationTokenSource();
        var running = _h.RunAsync($$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: stop}
            spec:
              entrypoint: main
              templates:
              - name: main
                container:
                  image: alpine:3
                  command: [sh, -c, "sleep 60 & echo $! > {{pidFile}}; echo started; wait"]
            """, cancel.Token);
        while (!_h.Lines.Any(l => l.Line == "started"))
        {
            await Task.Delay(20);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"sleep {pid} still runs");
        Assert.Contains("\"Failed\"", File.ReadAllText(Path.Combine(_h.Root, "runs", "stop", "run.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_exit_handler_runs_after_a_failure_and_sees_the_status()
    {
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: exits}
            spec:
              entrypoint: main
              onExit: report
              templates:
              - name: main
                container: {image: alpine:3, command: [sh, -c, "exit 4"]}
              - name: report
                container:
                  image: alpine:3
                  command: [sh, -c, "echo '{{workflow.status}} {{workflow.failures}}'"]
            """);

        Assert.Equal(EtlRunPhase.Failed, run.Phase);
        Assert.Equal(EtlRunPhase.Succeeded, run.Node("exits.onExit").Phase);
        var line = Assert.Single(_h.Lines, l => l.Node == "exits.onExit").Line;
        Assert.StartsWith("Failed [{", line, StringComparison.Ordinal);
        Assert.Contains("exit code 4", line, StringComparison.Ordinal);
        Assert.StartsWith("Workflow/exits (wf.yaml:1)", run.Workflow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_from_a_sensor_trigger_reports_lines_of_the_sensor_file()
    {
        var sensor = LocalWorkflowHarness.Document("""
            apiVersion: argoproj.io/v1alpha1
            kind: Sensor
            metadata: {name: csv}
            spec:
              triggers:
              - template:
                  name: convert
                  k8s:
                    operation: create
                    source:
                      resource:
                        apiVersion: argoproj.io/v1alpha1
                        kind: Workflow
                        metadata: {generateName: convert-}
                        spec:
                          entrypoint: main
                          templates:
                          - name: main
                            container: {image: alpine:3, command: [sh, -c, "true"]}
                            podSpecPatch: "{}"
            """, "sensor.yaml");
        const string Pointer = "/spec/triggers/0/template/k8s/source/resource";
        var resource = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(sensor.Object["spec"]!["triggers"]![0]!["template"]!["k8s"]!["source"]!["resource"]!.ToJsonString())!;
        var ex = await Assert.ThrowsAsync<EtlException>(() => _h.Engine().RunAsync(new WorkflowSource(resource, sensor, Pointer, "Sensor/csv trigger convert"), CancellationToken.None));
        Assert.Equal("LocalUnsupportedField", ex.Code);
        Assert.Contains("sensor.yaml:20", ex.Message, StringComparison.Ordinal);

        resource["spec"]!["templates"]![0]!.AsObject().Remove("podSpecPatch");
        var run = await _h.Engine().RunAsync(new WorkflowSource(resource, sensor, Pointer, "Sensor/csv trigger convert"), CancellationToken.None);
        Assert.Equal(EtlRunPhase.Succeeded, run.Phase);
        Assert.Equal("Sensor/csv trigger convert", run.Workflow);
    }
}
