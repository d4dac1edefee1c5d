using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// Runs one Argo Workflow to completion on this machine, as Argo's controller would: the same node names
/// ("wf", "wf[0].step", "wf.task", "wf[0].step(0:item)"), phases and variables; each container or script step through
/// the <see cref="IStepRunner"/>, each node with a folder under runs/&lt;workflow&gt;/ (its log, work folder, files,
/// outputs.json). A field it does not implement stops the run before anything starts (LocalUnsupportedField, with
/// file:line). Steps failing, deadlines and bad variables end as a Failed or Error run, not an exception.
/// </summary>
public sealed class LocalWorkflowRunner(LocalWorkflowContext context)
{
    private static readonly JsonSerializerOptions RunJson = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>
    /// Checks the Workflow (throws <see cref="EtlException"/> before anything runs when it cannot run here), then runs it
    /// and returns the run, Succeeded, Failed or Error. Cancellation kills running steps and throws.
    /// </summary>
    public async Task<EtlWorkflowRun> RunAsync(WorkflowSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var plan = WorkflowPlan.Prepare(source, context);
        string runDirectory = Path.Combine(context.RunsDirectory, Safe(plan.Name));
        if (Directory.Exists(runDirectory))
        {
            // A Workflow of the same fixed name ran before: this run replaces it, as re-creating it in a cluster would.
            Directory.Delete(runDirectory, recursive: true);
        }

        Directory.CreateDirectory(runDirectory);
        var run = new EtlWorkflowRun
        {
            Name = plan.Name,
            Workflow = source.Origin ?? (source.Pointer.Length == 0 ? source.Document.ToString() : plan.Label),
            Target = "Local",
            RunDirectory = runDirectory,
            StartedAt = DateTimeOffset.UtcNow,
            Phase = EtlRunPhase.Running,
        };
        var globals = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["workflow.name"] = plan.Name,
            ["workflow.namespace"] = plan.Namespace,
            ["workflow.uid"] = Guid.NewGuid().ToString(),
            ["workflow.serviceAccountName"] = (string?)plan.Spec["serviceAccountName"] ?? "default",
        };
        foreach (var (name, value) in plan.Parameters)
        {
            globals["workflow.parameters." + name] = value;
        }

        using var runCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var state = new RunState(plan, run, runDirectory, globals, runCancel.Token, cancellationToken);
        if (plan.ActiveDeadline is { } deadline)
        {
            state.DeadlineAt = DateTimeOffset.UtcNow + deadline;
            runCancel.CancelAfter(deadline);
        }

        var arguments = new JsonObject { ["parameters"] = plan.Parameters.Select(p => (JsonNode)new JsonObject { ["name"] = p.Key, ["value"] = p.Value }).Aggregate(new JsonArray(), (a, n) => { a.Add(n); return a; }) };
        if (plan.Spec["arguments"]?["artifacts"] is JsonArray artifacts)
        {
            arguments["artifacts"] = artifacts.DeepClone();
        }

        try
        {
            var root = await ExecuteAsync(state, plan.Name, plan.Entrypoint, arguments, globals).ConfigureAwait(false);
            run.Phase = root.Phase switch
            {
                EtlRunPhase.Succeeded or EtlRunPhase.Skipped or EtlRunPhase.Omitted => EtlRunPhase.Succeeded,
                EtlRunPhase.Error => EtlRunPhase.Error,
                _ => EtlRunPhase.Failed,
            };
            if (run.Phase != EtlRunPhase.Succeeded)
            {
                var failed = run.Nodes.Where(n => n.Phase is EtlRunPhase.Failed or EtlRunPhase.Error && n.Type is "Pod" or "Suspend").Select(n => $"{n.Name}: {n.Message}").FirstOrDefault();
                run.Message = state.DeadlineExceeded
                    ? $"Workflow exceeded its activeDeadlineSeconds ({plan.ActiveDeadline!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s){(failed is null ? string.Empty : "; " + failed)}"
                    : failed ?? $"{root.Node.Name}: {root.Node.Message}";
            }

            if (plan.OnExit is { } onExit)
            {
                await RunExitHandlerAsync(state, onExit, arguments, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            run.FinishedAt = DateTimeOffset.UtcNow;
            if (run.Phase == EtlRunPhase.Running)
            {
                run.Phase = EtlRunPhase.Failed;
                run.Message = "Stopped before it finished.";
            }

            await File.WriteAllTextAsync(Path.Combine(runDirectory, "run.json"), JsonSerializer.Serialize(run, RunJson), CancellationToken.None).ConfigureAwait(false);
        }

        return run;
    }

    /// <summary>
    /// spec.onExit, as Argo runs it: a node "&lt;wf&gt;.onExit" after the entrypoint, seeing {{workflow.status}} and
    /// {{workflow.failures}}, not bound by the Workflow's deadline (it runs also when that killed the steps). A failing
    /// exit handler fails a run that had succeeded.
    /// </summary>
    private async Task RunExitHandlerAsync(RunState state, TemplateHandle onExit, JsonObject arguments, CancellationToken cancellationToken)
    {
        var run = state.Run;
        var failures = new JsonArray();
        foreach (var node in run.Nodes.Where(n => n.Phase is EtlRunPhase.Failed or EtlRunPhase.Error && n.Type == "Pod"))
        {
            failures.Add(new JsonObject { ["displayName"] = node.Name[(node.Name.LastIndexOf('.') + 1)..], ["message"] = node.Message, ["templateName"] = node.Template, ["phase"] = node.Phase.ToString(), ["podName"] = node.Name });
        }

        var globals = new Dictionary<string, string>(state.Globals, StringComparer.Ordinal)
        {
            ["workflow.status"] = run.Phase.ToString(),
            ["workflow.failures"] = failures.ToJsonString(),
        };
        var exitState = new RunState(state.Plan, run, state.Directory, globals, cancellationToken, cancellationToken);
        var outcome = await ExecuteAsync(exitState, $"{run.Name}.onExit", onExit, arguments, globals).ConfigureAwait(false);
        if (outcome.IsFailure && run.Phase == EtlRunPhase.Succeeded)
        {
            run.Phase = EtlRunPhase.Failed;
            run.Message = $"exit handler {outcome.Node.Name}: {outcome.Node.Message}";
        }
    }

    internal static DependsExpression? DependsOf(JsonObject task)
    {
        if ((string?)task["depends"] is { Length: > 0 } depends)
        {
            return new DependsExpression(depends);
        }

        return task["dependencies"] is JsonArray { Count: > 0 } list ? new DependsExpression(string.Join(" && ", list.Select(d => (string?)d))) : null;
    }

    private sealed class RunState(WorkflowPlan plan, EtlWorkflowRun run, string directory, Dictionary<string, string> globals, CancellationToken token, CancellationToken user)
    {
        public WorkflowPlan Plan { get; } = plan;

        public EtlWorkflowRun Run { get; } = run;

        public string Directory { get; } = directory;

        public IReadOnlyDictionary<string, string> Globals { get; } = globals;

        /// <summary>Cancelled by the caller or by the Workflow's activeDeadlineSeconds.</summary>
        public CancellationToken Token { get; } = token;

        public CancellationToken User { get; } = user;

        public DateTimeOffset? DeadlineAt { get; set; }

        public bool DeadlineExceeded => Token.IsCancellationRequested && !User.IsCancellationRequested;

        public EtlWorkflowNode Add(string name, string template, string type)
        {
            var node = new EtlWorkflowNode { Name = name, Template = template, Type = type, Phase = EtlRunPhase.Running, StartedAt = DateTimeOffset.UtcNow };
            lock (Run.Nodes)
            {
                Run.Nodes.Add(node);
            }

            return node;
        }
    }

    private async Task<NodeOutcome> ExecuteAsync(RunState state, string nodeName, TemplateHandle template, JsonObject? arguments, IReadOnlyDictionary<string, string> globals)
    {
        if (template.Template["retryStrategy"] is not JsonObject retry)
        {
            return await ExecuteOnceAsync(state, nodeName, template, arguments, globals).ConfigureAwait(false);
        }

        var node = state.Add(nodeName, template.Name, "Retry");
        var outcome = new NodeOutcome(node);
        int limit = int.TryParse(TemplateVariables.Text(retry["limit"]), NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) ? l : 0;
        string policy = (string?)retry["retryPolicy"] ?? "OnFailure";
        var backoff = retry["backoff"];
        var first = ArgoDuration.Parse(backoff?["duration"]) ?? TimeSpan.Zero;
        double factor = double.TryParse(TemplateVariables.Text(backoff?["factor"] ?? JsonValue.Create(1)), NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f : 1;
        var max = ArgoDuration.Parse(backoff?["maxDuration"]);
        var started = DateTimeOffset.UtcNow;
        for (int attempt = 0; ; attempt++)
        {
            var child = await ExecuteOnceAsync(state, $"{nodeName}({attempt})", template, arguments, globals).ConfigureAwait(false);
            bool again = attempt < limit && !state.Token.IsCancellationRequested && policy switch
            {
                "Always" => child.IsFailure,
                "OnError" => child.Phase == EtlRunPhase.Error,
                "OnTransientError" => false,
                _ => child.Phase == EtlRunPhase.Failed,
            };
            var delay = first * Math.Pow(factor, attempt);
            if (again && max is { } limitDuration && DateTimeOffset.UtcNow - started + delay > limitDuration)
            {
                again = false;
            }

            if (!again)
            {
                node.Phase = child.Phase;
                node.Message = child.Node.Message;
                node.ExitCode = child.Node.ExitCode;
                foreach (var (k, v) in child.Node.Outputs)
                {
                    node.Outputs[k] = v;
                }

                foreach (var (k, v) in child.Node.Artifacts)
                {
                    node.Artifacts[k] = v;
                }

                node.LogPath = child.Node.LogPath;
                outcome.Result = child.Result;
                node.FinishedAt = DateTimeOffset.UtcNow;
                return outcome;
            }

            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await context.Delay(delay, state.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (state.DeadlineExceeded)
                {
                    // The next attempt sees the deadline and the retry node ends with the last attempt's phase.
                }
            }
        }
    }

    private async Task<NodeOutcome> ExecuteOnceAsync(RunState state, string nodeName, TemplateHandle template, JsonObject? arguments, IReadOnlyDictionary<string, string> globals)
    {
        string type = template.Kind switch { "steps" => "Steps", "dag" => "DAG", "suspend" => "Suspend", _ => "Pod" };
        var node = state.Add(nodeName, template.Name, type);
        var outcome = new NodeOutcome(node);
        try
        {
            if (state.Token.IsCancellationRequested)
            {
                state.User.ThrowIfCancellationRequested();
                return Finish(outcome, EtlRunPhase.Failed, "Not started: the Workflow exceeded its activeDeadlineSeconds.");
            }

            var inputs = Inputs(template, arguments, globals, out var inputArtifacts);
            switch (template.Kind)
            {
                case "steps":
                    await RunStepsAsync(state, outcome, template, inputs).ConfigureAwait(false);
                    break;
                case "dag":
                    await RunDagAsync(state, outcome, template, inputs).ConfigureAwait(false);
                    break;
                case "suspend":
                    var duration = ArgoDuration.Parse(TemplateVariables.SubstituteAll(template.Template["suspend"]!["duration"], inputs, $"template '{template.Name}' ({template.Where("/suspend/duration")})"))
                        ?? throw new EtlException(EtlErrors.LocalBadDuration, $"suspend duration at {template.Where("/suspend/duration")} is not a duration.", "Write e.g. 30s or 2m.", template.Where("/suspend/duration"));
                    try
                    {
                        await context.Delay(duration, state.Token).ConfigureAwait(false);
                        Finish(outcome, EtlRunPhase.Succeeded, null);
                    }
                    catch (OperationCanceledException) when (state.DeadlineExceeded)
                    {
                        Finish(outcome, EtlRunPhase.Failed, "Suspended when the Workflow exceeded its activeDeadlineSeconds.");
                    }

                    break;
                default:
                    await RunPodAsync(state, outcome, template, inputs, inputArtifacts).ConfigureAwait(false);
                    break;
            }
        }
        catch (EtlException ex)
        {
            Finish(outcome, EtlRunPhase.Error, ex.Message + (ex.Suggestion is null ? string.Empty : " " + ex.Suggestion));
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or Amazon.Runtime.AmazonServiceException or JsonException or UnauthorizedAccessException)
        {
            Finish(outcome, EtlRunPhase.Error, ex.Message);
        }

        return outcome;
    }

    private static NodeOutcome Finish(NodeOutcome outcome, EtlRunPhase phase, string? message)
    {
        outcome.Node.Phase = phase;
        outcome.Node.Message = message;
        outcome.Node.FinishedAt = DateTimeOffset.UtcNow;
        return outcome;
    }

    /// <summary>The template's inputs from the caller's arguments, defaults and enums; the variables its body sees.</summary>
    private static Dictionary<string, string> Inputs(TemplateHandle template, JsonObject? arguments, IReadOnlyDictionary<string, string> globals, out List<(JsonObject Artifact, string Path)> artifacts)
    {
        var variables = new Dictionary<string, string>(globals, StringComparer.Ordinal);
        artifacts = [];
        var given = arguments?["parameters"] as JsonArray ?? [];
        var declared = template.Template["inputs"]?["parameters"] as JsonArray ?? [];
        for (int i = 0; i < declared.Count; i++)
        {
            var parameter = declared[i] as JsonObject ?? [];
            string name = (string?)parameter["name"] ?? string.Empty;
            var argument = given.FirstOrDefault(a => (string?)a?["name"] == name);
            var value = argument?["value"] ?? parameter["value"] ?? parameter["default"];
            if (value is null)
            {
                throw new EtlException(EtlErrors.LocalInputMissing, $"template '{template.Name}' ({template.Where($"/inputs/parameters/{i}")}): input parameter '{name}' was not supplied and has no default.",
                    "Pass it in the step's or task's arguments, or give it a default.", template.Where($"/inputs/parameters/{i}"));
            }

            string text = TemplateVariables.Text(value);
            if (parameter["enum"] is JsonArray allowed && allowed.Count > 0 && !allowed.Any(a => TemplateVariables.Text(a) == text))
            {
                throw new EtlException(EtlErrors.LocalInputNotInEnum, $"template '{template.Name}' ({template.Where($"/inputs/parameters/{i}/enum")}): input parameter '{name}' is '{text}', not one of {string.Join(", ", allowed.Select(TemplateVariables.Text))}.",
                    "Pass one of the enum's values.", template.Where($"/inputs/parameters/{i}"));
            }

            variables["inputs.parameters." + name] = text;
        }

        var givenArtifacts = arguments?["artifacts"] as JsonArray ?? [];
        foreach (var declaredArtifact in template.Template["inputs"]?["artifacts"] as JsonArray ?? [])
        {
            var artifact = (declaredArtifact as JsonObject ?? []).DeepClone().AsObject();
            string name = (string?)artifact["name"] ?? string.Empty;
            if (givenArtifacts.FirstOrDefault(a => (string?)a?["name"] == name) is JsonObject argument)
            {
                foreach (string source in (string[])["from", "s3", "http", "raw"])
                {
                    if (argument[source] is { } value)
                    {
                        artifact.Remove("from");
                        artifact.Remove("s3");
                        artifact.Remove("http");
                        artifact.Remove("raw");
                        artifact[source] = value.DeepClone();
                        break;
                    }
                }
            }

            if ((string?)artifact["path"] is { } path)
            {
                variables[$"inputs.artifacts.{name}.path"] = path;
            }

            if (artifact["from"] is not null || artifact["s3"] is not null || artifact["http"] is not null || artifact["raw"] is not null)
            {
                artifacts.Add((artifact, (string?)artifact["path"] ?? string.Empty));
                if ((string?)artifact["from"] is { } from)
                {
                    variables[$"inputs.artifacts.{name}"] = from;
                }
            }
            else if (artifact["optional"]?.GetValueKind() != JsonValueKind.True)
            {
                throw new EtlException(EtlErrors.LocalInputMissing, $"template '{template.Name}' ({template.Where("/inputs/artifacts")}): input artifact '{name}' has no source (from, s3, http or raw).",
                    "Pass it in the caller's arguments.artifacts, or give it a source.", template.Where("/inputs/artifacts"));
            }
        }

        return variables;
    }

    private async Task RunStepsAsync(RunState state, NodeOutcome outcome, TemplateHandle template, Dictionary<string, string> inputs)
    {
        var scope = new Dictionary<string, string>(inputs, StringComparer.Ordinal);
        var groups = template.Template["steps"] as JsonArray ?? [];
        var node = outcome.Node;
        for (int g = 0; g < groups.Count; g++)
        {
            string groupName = $"{node.Name}[{g}]";
            var groupNode = state.Add(groupName, template.Name, "StepGroup");
            var steps = groups[g] as JsonArray ?? [];
            var runs = new List<(string Name, Task<List<NodeOutcome>> Task, bool Loop)>();
            for (int s = 0; s < steps.Count; s++)
            {
                var step = steps[s]!.AsObject();
                string pointer = $"{template.Pointer}/steps/{g}/{s}";
                string stepName = (string)step["name"]!;
                List<JsonNode?>? expansion;
                try
                {
                    expansion = Expand(step, pointer, template, scope);
                }
                catch (EtlException ex)
                {
                    var bad = Finish(new NodeOutcome(state.Add($"{groupName}.{stepName}", (string?)step["template"] ?? string.Empty, "Skipped")), EtlRunPhase.Error, ex.Message);
                    runs.Add((stepName, Task.FromResult(new List<NodeOutcome> { bad }), false));
                    continue;
                }

                runs.Add((stepName, RunCallsAsync(state, template, step, pointer, $"{groupName}.{stepName}", expansion, scope), expansion is not null));
            }

            await Task.WhenAll(runs.Select(r => r.Task)).ConfigureAwait(false);
            bool failed = false;
            foreach (var (stepName, task, loop) in runs)
            {
                var children = await task.ConfigureAwait(false);
                Publish(scope, "steps." + stepName, children, loop);
                failed |= children.Any(c => c.IsFailure);
            }

            if (failed)
            {
                var bad = runs.SelectMany(r => r.Task.Result).First(c => c.IsFailure);
                Finish(new NodeOutcome(groupNode), EtlRunPhase.Failed, $"child '{bad.Node.Name}' failed");
                Finish(outcome, EtlRunPhase.Failed, $"child '{bad.Node.Name}' failed");
                return;
            }

            Finish(new NodeOutcome(groupNode), EtlRunPhase.Succeeded, null);
        }

        Outputs(outcome, template, scope);
        Finish(outcome, EtlRunPhase.Succeeded, null);
    }

    private async Task RunDagAsync(RunState state, NodeOutcome outcome, TemplateHandle template, Dictionary<string, string> inputs)
    {
        var scope = new Dictionary<string, string>(inputs, StringComparer.Ordinal);
        var tasks = (template.Template["dag"]?["tasks"] as JsonArray ?? []).Select((t, i) => (Task: t!.AsObject(), Pointer: $"{template.Pointer}/dag/tasks/{i}")).ToList();
        var depends = tasks.ToDictionary(t => (string)t.Task["name"]!, t => DependsOf(t.Task), StringComparer.Ordinal);
        var done = new Dictionary<string, (NodeOutcome Group, List<NodeOutcome> Children)>(StringComparer.Ordinal);
        var running = new Dictionary<Task<List<NodeOutcome>>, (string Name, NodeOutcome Group, bool Loop)>();
        var pending = tasks.ToList();
        var node = outcome.Node;
        (EtlRunPhase, IReadOnlyList<EtlRunPhase>) Phase(string name) => (done[name].Group.Phase, done[name].Children.Select(c => c.Phase).ToList());
        while (true)
        {
            foreach (var (task, pointer) in pending.ToList())
            {
                string name = (string)task["name"]!;
                var expression = depends[name];
                if (expression is not null && !expression.Operands.All(done.ContainsKey))
                {
                    continue;
                }

                pending.Remove((task, pointer));
                string taskName = $"{node.Name}.{name}";
                if (expression is not null && !expression.Evaluate(Phase))
                {
                    var omitted = state.Add(taskName, (string?)task["template"] ?? string.Empty, "Skipped");
                    var omittedOutcome = Finish(new NodeOutcome(omitted), EtlRunPhase.Omitted, $"depends '{expression}' evaluated false");
                    done[name] = (omittedOutcome, [omittedOutcome]);
                    Publish(scope, "tasks." + name, [omittedOutcome], loop: false);
                    continue;
                }

                if (state.Token.IsCancellationRequested)
                {
                    state.User.ThrowIfCancellationRequested();
                    var notRun = Finish(new NodeOutcome(state.Add(taskName, (string?)task["template"] ?? string.Empty, "Skipped")), EtlRunPhase.Failed, "Not started: the Workflow exceeded its activeDeadlineSeconds.");
                    done[name] = (notRun, [notRun]);
                    continue;
                }

                List<JsonNode?>? expansion;
                try
                {
                    expansion = Expand(task, pointer, template, scope);
                }
                catch (EtlException ex)
                {
                    var bad = Finish(new NodeOutcome(state.Add(taskName, (string?)task["template"] ?? string.Empty, "Skipped")), EtlRunPhase.Error, ex.Message);
                    done[name] = (bad, [bad]);
                    continue;
                }

                NodeOutcome? group = expansion is null ? null : new NodeOutcome(state.Add(taskName, (string?)task["template"] ?? string.Empty, "TaskGroup"));
                var run = RunCallsAsync(state, template, task, pointer, taskName, expansion, scope);
                running[run] = (name, group!, expansion is not null);
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var (finishedName, finishedGroup, loop) = running[finished];
            running.Remove(finished);
            var children = await finished.ConfigureAwait(false);
            if (loop)
            {
                var bad = children.FirstOrDefault(c => c.IsFailure);
                Finish(finishedGroup, bad is null ? EtlRunPhase.Succeeded : EtlRunPhase.Failed, bad is null ? null : $"child '{bad.Node.Name}' failed");
                finishedGroup.Items = children;
            }
            else
            {
                finishedGroup = children[0];
            }

            done[finishedName] = (finishedGroup, children);
            Publish(scope, "tasks." + finishedName, children, loop);
        }

        // A failed task fails the DAG unless another task's depends looks at its failure (.Failed, .Errored, .Completed, ...).
        var handled = depends.Values.Where(d => d is not null).SelectMany(d => d!.Handled).ToHashSet(StringComparer.Ordinal);
        var failure = done.Where(d => d.Value.Group.IsFailure && !handled.Contains(d.Key)).Select(d => d.Value.Group).FirstOrDefault();
        if (failure is not null)
        {
            Finish(outcome, EtlRunPhase.Failed, $"child '{failure.Node.Name}' failed");
            return;
        }

        Outputs(outcome, template, scope);
        Finish(outcome, EtlRunPhase.Succeeded, null);
    }

    /// <summary>withItems/withParam of a step or task: the items, or null when it is not a loop.</summary>
    private static List<JsonNode?>? Expand(JsonObject call, string pointer, TemplateHandle owner, IReadOnlyDictionary<string, string> scope)
    {
        string where = $"{(string?)call["name"]} ({owner.Owner.Where(pointer)})";
        if (call["withItems"] is JsonArray items)
        {
            return [.. items.Select(item => TemplateVariables.SubstituteAll(item, scope, where))];
        }

        if ((string?)call["withParam"] is { } param)
        {
            string text = TemplateVariables.Substitute(param, scope, where);
            try
            {
                return JsonNode.Parse(text) is JsonArray list ? [.. list.Select(i => i?.DeepClone())] : throw new JsonException("not a list");
            }
            catch (JsonException ex)
            {
                throw new EtlException(EtlErrors.LocalBadWithParam, $"withParam of '{where}' is not a JSON list: {Shorten(text)} ({ex.Message}).",
                    "Make the parameter a JSON list, e.g. an output parameter holding [\"a\",\"b\"].", owner.Owner.Where(pointer + "/withParam"));
            }
        }

        return null;
    }

    /// <summary>Runs one step or task, or each of its items in parallel; a `when` that is false gives a Skipped node.</summary>
    private async Task<List<NodeOutcome>> RunCallsAsync(RunState state, TemplateHandle owner, JsonObject call, string pointer, string baseName, List<JsonNode?>? items, IReadOnlyDictionary<string, string> scope)
    {
        var calls = new List<(string Name, Dictionary<string, string> Variables)>();
        if (items is null)
        {
            calls.Add((baseName, new Dictionary<string, string>(scope, StringComparer.Ordinal)));
        }
        else
        {
            for (int i = 0; i < items.Count; i++)
            {
                var variables = new Dictionary<string, string>(scope, StringComparer.Ordinal);
                AddItem(variables, "item", items[i]);
                calls.Add(($"{baseName}({i.ToString(CultureInfo.InvariantCulture)}:{ItemLabel(items[i])})", variables));
            }
        }

        var runs = calls.Select(async c =>
        {
            string where = $"{(string?)call["name"]} ({owner.Owner.Where(pointer)})";
            TemplateHandle target;
            try
            {
                target = WorkflowPlan.Resolve(call, pointer, owner.Owner, context, state.Plan.Label);
                if ((string?)call["when"] is { } when)
                {
                    string condition = TemplateVariables.Substitute(when, c.Variables, where);
                    if (!WhenExpression.Evaluate(condition))
                    {
                        var skipped = state.Add(c.Name, target.Name, "Skipped");
                        return Finish(new NodeOutcome(skipped), EtlRunPhase.Skipped, $"when '{condition}' evaluated false");
                    }
                }
            }
            catch (EtlException ex)
            {
                return Finish(new NodeOutcome(state.Add(c.Name, (string?)call["template"] ?? string.Empty, "Skipped")), EtlRunPhase.Error, ex.Message);
            }

            JsonObject? arguments;
            try
            {
                arguments = TemplateVariables.SubstituteAll(call["arguments"], c.Variables, where) as JsonObject;
            }
            catch (EtlException ex)
            {
                return Finish(new NodeOutcome(state.Add(c.Name, target.Name, "Pod")), EtlRunPhase.Error, ex.Message);
            }

            return await ExecuteAsync(state, c.Name, target, arguments, state.Globals).ConfigureAwait(false);
        }).ToList();
        return [.. await Task.WhenAll(runs).ConfigureAwait(false)];
    }

    /// <summary>Makes a finished step's or task's outputs visible as steps.X.* / tasks.X.* (loops: JSON lists over the items).</summary>
    private static void Publish(Dictionary<string, string> scope, string prefix, List<NodeOutcome> children, bool loop)
    {
        if (!loop)
        {
            var only = children[0];
            scope[prefix + ".status"] = only.Phase.ToString();
            scope[prefix + ".id"] = only.Node.Name;
            if (only.Node.ExitCode is { } code)
            {
                scope[prefix + ".exitCode"] = code.ToString(CultureInfo.InvariantCulture);
            }

            if (only.Result is { } result)
            {
                scope[prefix + ".outputs.result"] = result;
            }

            foreach (var (name, value) in only.Node.Outputs)
            {
                scope[$"{prefix}.outputs.parameters.{name}"] = value;
            }

            foreach (var (name, value) in only.Node.Artifacts)
            {
                scope[$"{prefix}.outputs.artifacts.{name}"] = value;
            }

            return;
        }

        // Only items that succeeded have outputs to aggregate (skipped and failed ones are left out, not nulls).
        var ran = children.Where(c => c.Phase == EtlRunPhase.Succeeded).ToList();
        scope[prefix + ".status"] = children.Any(c => c.IsFailure) ? nameof(EtlRunPhase.Failed) : nameof(EtlRunPhase.Succeeded);
        var parameters = new JsonArray();
        foreach (var child in ran)
        {
            var map = new JsonObject();
            foreach (var (name, value) in child.Node.Outputs)
            {
                map[name] = value;
            }

            parameters.Add(map);
        }

        scope[prefix + ".outputs.parameters"] = parameters.ToJsonString();
        if (ran.Any(c => c.Result is not null))
        {
            scope[prefix + ".outputs.result"] = new JsonArray([.. ran.Select(c => (JsonNode?)JsonValue.Create(c.Result ?? string.Empty))]).ToJsonString();
        }

        foreach (string name in ran.SelectMany(c => c.Node.Outputs.Keys).Distinct(StringComparer.Ordinal))
        {
            scope[$"{prefix}.outputs.parameters.{name}"] = new JsonArray([.. ran.Select(c => (JsonNode?)JsonValue.Create(c.Node.Outputs.GetValueOrDefault(name)))]).ToJsonString();
        }
    }

    /// <summary>A steps or dag template's own outputs: parameters from valueFrom.parameter (or value), artifacts from `from`.</summary>
    private static void Outputs(NodeOutcome outcome, TemplateHandle template, Dictionary<string, string> scope)
    {
        string where = $"outputs of template '{template.Name}' ({template.Where("/outputs")})";
        foreach (var parameter in template.Template["outputs"]?["parameters"] as JsonArray ?? [])
        {
            string name = (string?)parameter?["name"] ?? string.Empty;
            var source = parameter?["valueFrom"]?["parameter"] ?? parameter?["value"];
            string? value = null;
            try
            {
                value = source is null ? null : TemplateVariables.Substitute(TemplateVariables.Text(source), scope, where);
            }
            catch (EtlException) when (parameter?["valueFrom"]?["default"] is not null)
            {
                // The step that would have set it was skipped: valueFrom.default stands in, as in Argo.
            }

            value ??= parameter?["valueFrom"]?["default"] is { } fallback ? TemplateVariables.Text(fallback) : null;
            outcome.Node.Outputs[name] = value ?? throw new EtlException(EtlErrors.LocalOutputMissing, $"{where}: output parameter '{name}' has no valueFrom.parameter or value.", "Set valueFrom.parameter to e.g. '{{steps.a.outputs.parameters.x}}'.", template.Where("/outputs"));
        }

        foreach (var artifact in template.Template["outputs"]?["artifacts"] as JsonArray ?? [])
        {
            if ((string?)artifact?["from"] is { } from)
            {
                outcome.Node.Artifacts[(string?)artifact["name"] ?? string.Empty] = TemplateVariables.Substitute(from, scope, where);
            }
        }
    }

    private async Task RunPodAsync(RunState state, NodeOutcome outcome, TemplateHandle template, Dictionary<string, string> inputs, List<(JsonObject Artifact, string Path)> inputArtifacts)
    {
        var node = outcome.Node;
        string kind = template.Kind;
        string where = $"template '{template.Name}' ({template.Where()})";
        var container = TemplateVariables.SubstituteAll(template.Template[kind], inputs, where)!.AsObject();
        var outputs = TemplateVariables.SubstituteAll(template.Template["outputs"], inputs, where) as JsonObject;
        string nodeDirectory = Path.Combine(state.Directory, Safe(node.Name));
        Directory.CreateDirectory(nodeDirectory);
        string rewrite(string s) => context.AddressRewriter is { } r ? r(s) : s;

        // Mounts: emptyDir volumes (a folder per node: an emptyDir lives as long as its pod), then the folder of each
        // input and output file not already under one, kept in the node's fs/ folder at the same path; the script's
        // staging folder. Host runs see these paths rewritten, containers get them mounted.
        var mounts = new List<StepMount>();
        foreach (var mount in container["volumeMounts"] as JsonArray ?? [])
        {
            string vname = (string?)mount?["name"] ?? string.Empty;
            mounts.Add(new StepMount(Path.Combine(nodeDirectory, "volumes", Safe(vname)), (string?)mount?["mountPath"] ?? "/", mount?["readOnly"]?.GetValueKind() == JsonValueKind.True));
        }

        var filePaths = inputArtifacts.Select(a => a.Path)
            .Concat((outputs?["parameters"] as JsonArray ?? []).Select(p => (string?)p?["valueFrom"]?["path"]))
            .Concat((outputs?["artifacts"] as JsonArray ?? []).Select(a => (string?)a?["path"]))
            .Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).ToList();
        foreach (string path in filePaths)
        {
            if (StepPaths.HostPathOf(mounts, path) is null)
            {
                string folder = Path.GetDirectoryName(path)?.Replace('\\', '/') is { Length: > 0 } d ? d : "/";
                mounts.Add(new StepMount(Path.Combine(nodeDirectory, "fs") + folder.TrimEnd('/').Replace('/', Path.DirectorySeparatorChar), folder));
            }
        }

        var files = new List<StepFile>();
        var command = Strings(container["command"]);
        var args = Strings(container["args"]).Select(rewrite).ToList();
        if (kind == "script")
        {
            mounts.Add(new StepMount(Path.Combine(nodeDirectory, "staging"), "/argo/staging"));
            files.Add(new StepFile("/argo/staging/script", rewrite((string?)container["source"] ?? string.Empty)));
            args.Insert(0, "/argo/staging/script");
        }

        foreach (var mount in mounts)
        {
            Directory.CreateDirectory(mount.HostPath);
        }

        // Input artifacts land at their path before the step starts.
        foreach (var (artifact, path) in inputArtifacts)
        {
            string host = StepPaths.HostPathOf(mounts, path)!;
            await FetchAsync(artifact, host, inputs, template, state.Token).ConfigureAwait(false);
        }

        var env = Environment(container, template, rewrite);
        var deadline = ArgoDuration.Parse(template.Template["activeDeadlineSeconds"]);
        bool workflowDeadlineFirst = false;
        if (state.DeadlineAt is { } at)
        {
            var left = at - DateTimeOffset.UtcNow;
            if (deadline is null || left < deadline)
            {
                deadline = left;
                workflowDeadlineFirst = true;
            }
        }

        var request = new StepRequest
        {
            NodeName = node.Name,
            Image = (string?)container["image"] ?? string.Empty,
            Command = command,
            Args = args,
            Environment = env,
            WorkingDirectory = (string?)container["workingDir"],
            NodeDirectory = nodeDirectory,
            Mounts = mounts,
            Files = files,
            LogPath = Path.Combine(nodeDirectory, "main.log"),
            Deadline = deadline,
            OnLine = context.LogSink is { } sink ? line => sink(node.Name, line) : null,
        };
        node.LogPath = request.LogPath;
        StepResult result;
        try
        {
            result = await context.StepRunner.RunAsync(request, state.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (state.DeadlineExceeded)
        {
            Finish(outcome, EtlRunPhase.Failed, "Step was killed: the Workflow exceeded its activeDeadlineSeconds.");
            return;
        }

        node.ExitCode = result.ExitCode;
        if (result.DeadlineExceeded)
        {
            Finish(outcome, EtlRunPhase.Failed, workflowDeadlineFirst
                ? "Step was killed: the Workflow exceeded its activeDeadlineSeconds."
                : $"Step exceeded its deadline (activeDeadlineSeconds {deadline!.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}) and was killed.");
            return;
        }

        outcome.Result = result.Stdout.TrimEnd('\n', '\r');
        if (result.ExitCode != 0)
        {
            Finish(outcome, EtlRunPhase.Failed, $"Error (exit code {result.ExitCode.ToString(CultureInfo.InvariantCulture)})");
            return;
        }

        await CollectAsync(state, node, outputs, mounts, template, inputs).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(nodeDirectory, "outputs.json"),
            JsonSerializer.Serialize(new { parameters = node.Outputs, artifacts = node.Artifacts, result = outcome.Result }, RunJson), state.Token).ConfigureAwait(false);
        Finish(outcome, EtlRunPhase.Succeeded, null);
    }

    private Dictionary<string, string> Environment(JsonObject container, TemplateHandle template, Func<string, string> rewrite)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        string kind = template.Kind;
        var envFrom = container["envFrom"] as JsonArray ?? [];
        for (int i = 0; i < envFrom.Count; i++)
        {
            var from = envFrom[i]!;
            string prefix = (string?)from["prefix"] ?? string.Empty;
            bool secret = from["secretRef"] is not null;
            var reference = from["secretRef"] ?? from["configMapRef"];
            string name = (string?)reference?["name"] ?? string.Empty;
            var data = secret ? context.Values!.SecretData(name) : context.Values!.ConfigMapData(name);
            if (data is null)
            {
                if (reference?["optional"]?.GetValueKind() == JsonValueKind.True)
                {
                    continue;
                }

                string at = template.Where($"/{kind}/envFrom/{i}");
                throw new EtlException(EtlErrors.LocalReferenceNotFound, $"template '{template.Name}' ({at}): envFrom {(secret ? "Secret" : "ConfigMap")} '{name}' is provided by nobody.",
                    $"Add the {(secret ? "Secret" : "ConfigMap")} '{name}' to the project's manifests, or mark the reference optional.", at);
            }

            foreach (var (key, value) in data)
            {
                env[prefix + key] = rewrite(value);
            }
        }

        var list = container["env"] as JsonArray ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            var variable = list[i]!;
            string name = (string?)variable["name"] ?? string.Empty;
            if (variable["valueFrom"] is { } valueFrom)
            {
                bool secret = valueFrom["secretKeyRef"] is not null;
                var reference = valueFrom["secretKeyRef"] ?? valueFrom["configMapKeyRef"];
                string refName = (string?)reference?["name"] ?? string.Empty;
                string key = (string?)reference?["key"] ?? string.Empty;
                string? value = secret ? context.Values!.Secret(refName, key) : context.Values!.ConfigMap(refName, key);
                if (value is null)
                {
                    if (reference?["optional"]?.GetValueKind() == JsonValueKind.True)
                    {
                        continue;
                    }

                    string at = template.Where($"/{kind}/env/{i}/valueFrom");
                    throw new EtlException(EtlErrors.LocalReferenceNotFound, $"template '{template.Name}' ({at}): env {name} reads key '{key}' of {(secret ? "Secret" : "ConfigMap")} '{refName}', which nobody provides.",
                        $"Add the {(secret ? "Secret" : "ConfigMap")} '{refName}' with key '{key}' to the project's manifests, or mark the reference optional.", at);
                }

                env[name] = rewrite(value);
            }
            else
            {
                env[name] = rewrite(TemplateVariables.Text(variable["value"] ?? JsonValue.Create(string.Empty)));
            }
        }

        return env;
    }

    private async Task FetchAsync(JsonObject artifact, string hostPath, IReadOnlyDictionary<string, string> variables, TemplateHandle template, CancellationToken cancellationToken)
    {
        string where = $"input artifact '{(string?)artifact["name"]}' of template '{template.Name}' ({template.Where("/inputs/artifacts")})";
        var resolved = TemplateVariables.SubstituteAll(artifact, variables, where)!.AsObject();
        if (resolved["raw"] is { } raw)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(hostPath)!);
            await File.WriteAllTextAsync(hostPath, (string?)raw["data"] ?? string.Empty, cancellationToken).ConfigureAwait(false);
            return;
        }

        if ((string?)resolved["http"]?["url"] is { } url)
        {
            await new ArtifactTransfer(Http).DownloadHttpAsync(new Uri(Rewrite(url)), hostPath, cancellationToken).ConfigureAwait(false);
            return;
        }

        string bucket, key;
        Uri endpoint;
        string accessKey, secretKey, region;
        var repository = context.ArtifactRepository;
        if ((string?)resolved["from"] is { } from)
        {
            // An output artifact of an earlier step: s3://bucket/key in the artifact repository.
            if (repository is null || !from.StartsWith("s3://", StringComparison.Ordinal))
            {
                throw new EtlException(EtlErrors.LocalArtifactNotFound, $"{where}: from '{from}' is not an artifact this run stored.", "Refer to an output artifact of an earlier step.", template.Where("/inputs/artifacts"));
            }

            string rest = from["s3://".Length..];
            bucket = rest[..rest.IndexOf('/', StringComparison.Ordinal)];
            key = rest[(bucket.Length + 1)..];
            (endpoint, accessKey, secretKey, region) = (repository.Endpoint, repository.AccessKey, repository.SecretKey, repository.Region);
        }
        else
        {
            var s3 = resolved["s3"]!;
            bucket = (string?)s3["bucket"] ?? repository?.Bucket ?? string.Empty;
            key = (string?)s3["key"] ?? string.Empty;
            region = (string?)s3["region"] ?? repository?.Region ?? "us-east-1";
            if ((string?)s3["endpoint"] is { } given)
            {
                bool insecure = s3["insecure"]?.GetValueKind() == JsonValueKind.True;
                string mapped = Rewrite(given.Contains("://", StringComparison.Ordinal) ? given : (insecure ? "http://" : "https://") + given);
                endpoint = new Uri(mapped);
                accessKey = SecretOf(s3["accessKeySecret"], where) ?? repository?.AccessKey ?? string.Empty;
                secretKey = SecretOf(s3["secretKeySecret"], where) ?? repository?.SecretKey ?? string.Empty;
            }
            else
            {
                if (repository is null)
                {
                    throw new EtlException(EtlErrors.LocalNoArtifactRepository, $"{where}: s3 without an endpoint needs the artifact repository, and none is configured.",
                        "Run with the local object store, or give the artifact's s3 endpoint.", template.Where("/inputs/artifacts"));
                }

                (endpoint, accessKey, secretKey) = (repository.Endpoint, repository.AccessKey, repository.SecretKey);
            }
        }

        using var client = ArtifactTransfer.Client(endpoint, accessKey, secretKey, region);
        await ArtifactTransfer.DownloadS3Async(client, bucket, key, hostPath, cancellationToken).ConfigureAwait(false);
    }

    private string? SecretOf(JsonNode? reference, string where)
    {
        if (reference is null)
        {
            return null;
        }

        string name = (string?)reference["name"] ?? string.Empty;
        string key = (string?)reference["key"] ?? string.Empty;
        return (context.Values ?? throw new EtlException(EtlErrors.LocalNoValueResolver, $"{where}: reads Secret '{name}', and no Secrets are available to this run.", "Run it through the local target.", where))
            .Secret(name, key) ?? throw new EtlException(EtlErrors.LocalReferenceNotFound, $"{where}: key '{key}' of Secret '{name}' is provided by nobody.",
                $"Add the Secret '{name}' with key '{key}' to the project's manifests.", where);
    }

    private string Rewrite(string text) => context.AddressRewriter is { } r ? r(text) : text;

    private async Task CollectAsync(RunState state, EtlWorkflowNode node, JsonObject? outputs, List<StepMount> mounts, TemplateHandle template, IReadOnlyDictionary<string, string> inputs)
    {
        var parameters = outputs?["parameters"] as JsonArray ?? [];
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i]!;
            string name = (string?)parameter["name"] ?? string.Empty;
            if ((string?)parameter["valueFrom"]?["path"] is { } path)
            {
                string host = StepPaths.HostPathOf(mounts, path)!;
                if (File.Exists(host))
                {
                    node.Outputs[name] = (await File.ReadAllTextAsync(host, state.Token).ConfigureAwait(false)).TrimEnd('\n', '\r');
                }
                else if (parameter["valueFrom"]?["default"] is { } fallback)
                {
                    node.Outputs[name] = TemplateVariables.Text(fallback);
                }
                else
                {
                    string at = template.Where($"/outputs/parameters/{i}/valueFrom/path");
                    throw new EtlException(EtlErrors.LocalOutputMissing, $"output parameter '{name}' ({at}): the step wrote no file at {path}.",
                        "Make the step write it, or give valueFrom.default.", at);
                }
            }
            else if (parameter["value"] is { } value)
            {
                node.Outputs[name] = TemplateVariables.Text(value);
            }
        }

        var artifacts = outputs?["artifacts"] as JsonArray ?? [];
        for (int i = 0; i < artifacts.Count; i++)
        {
            var artifact = artifacts[i]!;
            string name = (string?)artifact["name"] ?? string.Empty;
            string path = (string?)artifact["path"] ?? string.Empty;
            string host = StepPaths.HostPathOf(mounts, path)!;
            if (!File.Exists(host) && !Directory.Exists(host))
            {
                if (artifact["optional"]?.GetValueKind() == JsonValueKind.True)
                {
                    continue;
                }

                string at = template.Where($"/outputs/artifacts/{i}");
                throw new EtlException(EtlErrors.LocalOutputMissing, $"output artifact '{name}' ({at}): the step wrote nothing at {path}.",
                    "Make the step write it, or mark the artifact optional.", at);
            }

            var repository = context.ArtifactRepository!;
            bool archive = artifact["archive"]?["none"] is null;
            string bucket = (string?)artifact["s3"]?["bucket"] ?? repository.Bucket;
            string key = (string?)artifact["s3"]?["key"] ?? $"{state.Plan.Name}/{node.Name}/{(archive ? name + ".tgz" : Path.GetFileName(host))}";
            using var client = ArtifactTransfer.Client(repository.Endpoint, repository.AccessKey, repository.SecretKey, repository.Region);
            await ArtifactTransfer.UploadAsync(client, bucket, key, host, archive, state.Token).ConfigureAwait(false);
            node.Artifacts[name] = $"s3://{bucket}/{key}";
        }

        _ = inputs;
    }

    private static List<string> Strings(JsonNode? node) => node is JsonArray list ? [.. list.Select(TemplateVariables.Text)] : [];

    private static void AddItem(Dictionary<string, string> variables, string prefix, JsonNode? item)
    {
        variables[prefix] = TemplateVariables.Text(item);
        if (item is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                AddItem(variables, prefix + "." + key, value);
            }
        }
    }

    /// <summary>Argo's item label in node names: a scalar as it is, a map as "key:value,..." sorted by key, a list as JSON.</summary>
    private static string ItemLabel(JsonNode? item) => item switch
    {
        JsonObject obj => string.Join(',', obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{ItemLabel(p.Value)}")),
        _ => TemplateVariables.Text(item),
    };

    /// <summary>
    /// A node name as a folder name. Only letters, digits, '.', '-' and '_' stay: host processes get these folders
    /// spliced into their command lines (a shell would read "(" or ":" as syntax), and file systems refuse others.
    /// </summary>
    internal static string Safe(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return text.ToString();
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
