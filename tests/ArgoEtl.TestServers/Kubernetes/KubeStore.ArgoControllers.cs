using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace ArgoEtl.TestServers.Kubernetes;

// Stand-ins for Argo's controllers, only as far as the dev loop's tests need them:
// - the workflow controller starts a Workflow whose entrypoint is a container or script template: one pod (named as
//   the Workflow, labelled workflows.argoproj.io/workflow, annotated with its node name, owned by the Workflow), the
//   Workflow Running with that one node. The test plays the container: FinishWorkflowPod writes its log and exit code,
//   and the controller records the pod's, the node's and the Workflow's phase as Argo does.
// - the Argo Events controllers give an EventSource or Sensor its conditions and a Deployment (labelled
//   eventsource-name / sensor-name, owned by it), whose pod the test may write log lines for.
public sealed partial class KubeStore
{
    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private void StartWorkflow(Stored stored)
    {
        var wf = stored.Object;
        if (wf["status"]?["phase"] is not null)
        {
            return;
        }

        string name = wf["metadata"]!["name"]!.GetValue<string>();
        string ns = wf["metadata"]!["namespace"]!.GetValue<string>();
        string? entrypoint = wf["spec"]?["entrypoint"]?.GetValue<string>();
        var template = (wf["spec"]?["templates"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(t => t["name"]?.GetValue<string>() == entrypoint);
        var container = (template?["container"] ?? template?["script"]) as JsonObject;
        if (container is null)
        {
            wf["status"] = new JsonObject
            {
                ["phase"] = "Error",
                ["message"] = "the test API server's workflow controller runs only a container or script entrypoint",
                ["startedAt"] = Now(),
                ["finishedAt"] = Now(),
            };
            return;
        }

        var main = (JsonObject)container.DeepClone();
        main.Remove("source");
        main["name"] = "main";
        var pods = _types.First(t => t.Kind == "Pod");
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["workflows.argoproj.io/workflow"] = name, ["workflows.argoproj.io/completed"] = "false" },
                ["annotations"] = new JsonObject
                {
                    ["workflows.argoproj.io/node-name"] = name,
                    ["workflows.argoproj.io/node-id"] = name,
                    ["kubectl.kubernetes.io/default-container"] = "main",
                },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "argoproj.io/v1alpha1", ["kind"] = "Workflow", ["name"] = name, ["uid"] = wf["metadata"]!["uid"]!.GetValue<string>(), ["controller"] = true,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "wait", ["image"] = "argoexec:test" }, main),
                ["restartPolicy"] = "Never",
            },
            ["status"] = new JsonObject { ["phase"] = "Running", ["startTime"] = Now() },
        };
        if (!Bucket(pods).ContainsKey(Key(pods, ns, name)))
        {
            Stamp(pod, null);
            var podStored = new Stored(pod);
            Bucket(pods)[Key(pods, ns, name)] = podStored;
            Notify(pods, "ADDED", podStored);
        }

        wf["metadata"]!["labels"] ??= new JsonObject();
        wf["metadata"]!["labels"]!["workflows.argoproj.io/phase"] = "Running";
        wf["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["startedAt"] = Now(),
            ["progress"] = "0/1",
            ["nodes"] = new JsonObject
            {
                [name] = new JsonObject
                {
                    ["id"] = name, ["name"] = name, ["displayName"] = name, ["type"] = "Pod", ["templateName"] = entrypoint,
                    ["phase"] = "Running", ["startedAt"] = Now(),
                },
            },
        };
    }

    /// <summary>
    /// The Workflow pod's main container prints <paramref name="lines"/> and exits with <paramref name="exitCode"/>:
    /// the pod, its node and the Workflow end as Argo records them (a non-zero exit: Failed, "Error (exit code N)").
    /// </summary>
    public void FinishWorkflowPod(string ns, string pod, IReadOnlyList<string> lines, int exitCode)
    {
        ArgumentNullException.ThrowIfNull(lines);
        lock (_gate)
        {
            var pods = _types.First(t => t.Kind == "Pod");
            if (!Bucket(pods).TryGetValue(Key(pods, ns, pod), out var podStored))
            {
                throw new InvalidOperationException($"no pod {ns}/{pod}");
            }

            var log = LogOf(ns, pod, "main");
            log.Lines.AddRange(lines);
            log.Pulse();
            EndLog(ns, pod, "main");
            EndLog(ns, pod, "wait");
            string phase = exitCode == 0 ? "Succeeded" : "Failed";
            string? message = exitCode == 0 ? null : $"Error (exit code {exitCode.ToString(CultureInfo.InvariantCulture)})";
            var podObject = (JsonObject)podStored.Object.DeepClone();
            podObject["metadata"]!["labels"]!["workflows.argoproj.io/completed"] = "true";
            podObject["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main",
                    ["state"] = new JsonObject { ["terminated"] = new JsonObject { ["exitCode"] = exitCode, ["reason"] = exitCode == 0 ? "Completed" : "Error" } },
                }),
            };
            WriteStatus(pods, podStored, podObject);

            string? workflowName = podObject["metadata"]!["labels"]!["workflows.argoproj.io/workflow"]?.GetValue<string>();
            var workflows = _types.FirstOrDefault(t => t.Group == "argoproj.io" && t.Kind == "Workflow");
            if (workflowName is null || workflows is null || !Bucket(workflows).TryGetValue(Key(workflows, ns, workflowName), out var wfStored))
            {
                return;
            }

            var wf = (JsonObject)wfStored.Object.DeepClone();
            var status = wf["status"] as JsonObject ?? [];
            var node = status["nodes"]?[workflowName] as JsonObject;
            if (node is not null)
            {
                node["phase"] = phase;
                node["finishedAt"] = Now();
                node["message"] = message;
                node["outputs"] = new JsonObject { ["exitCode"] = exitCode.ToString(CultureInfo.InvariantCulture) };
            }

            status["phase"] = phase;
            status["finishedAt"] = Now();
            status["progress"] = exitCode == 0 ? "1/1" : "0/1";
            status["message"] = message;
            wf["status"] = status;
            wf["metadata"]!["labels"]!["workflows.argoproj.io/phase"] = phase;
            wf["metadata"]!["labels"]!["workflows.argoproj.io/completed"] = "true";
            WriteStatus(workflows, wfStored, wf);
        }
    }

    private void DeployArgoEvents(Stored stored)
    {
        var obj = stored.Object;
        bool sensor = obj["kind"]!.GetValue<string>() == "Sensor";
        string name = obj["metadata"]!["name"]!.GetValue<string>();
        string ns = obj["metadata"]!["namespace"]!.GetValue<string>();
        string uid = obj["metadata"]!["uid"]!.GetValue<string>();
        string nameLabel = sensor ? "sensor-name" : "eventsource-name";
        var spec = obj["spec"] as JsonObject ?? [];
        JsonObject Condition(string type, bool ok, string? reason = null, string? message = null) => new()
        {
            ["type"] = type, ["status"] = ok ? "True" : "False", ["lastTransitionTime"] = Now(), ["reason"] = reason, ["message"] = message,
        };

        var conditions = new JsonArray();
        bool valid;
        if (sensor)
        {
            bool dependencies = (spec["dependencies"] as JsonArray)?.Count > 0;
            bool triggers = (spec["triggers"] as JsonArray)?.Count > 0;
            conditions.Add(Condition("DependenciesProvided", dependencies, dependencies ? null : "InvalidSensor", dependencies ? null : "no event dependencies found"));
            conditions.Add(Condition("TriggersProvided", triggers, triggers ? null : "InvalidSensor", triggers ? null : "no triggers found"));
            valid = dependencies && triggers;
        }
        else
        {
            bool sources = spec.Any(p => p.Key is not ("template" or "service" or "eventBusName" or "replicas"));
            conditions.Add(Condition("SourcesProvided", sources, sources ? null : "InvalidEventSource", sources ? null : "no event sources found"));
            valid = sources;
        }

        if (valid)
        {
            var deployments = _types.First(t => t.Kind == "Deployment");
            bool exists = Bucket(deployments).Values.Any(d => (d.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).Any(r => r?["uid"]?.GetValue<string>() == uid));
            if (!exists)
            {
                var labels = new JsonObject { ["controller"] = sensor ? "sensor-controller" : "eventsource-controller", [nameLabel] = name, ["owner-name"] = name };
                string deploymentName = $"{name}-{(sensor ? "sensor" : "eventsource")}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5]}";
                var deployment = new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["metadata"] = new JsonObject
                    {
                        ["name"] = deploymentName,
                        ["namespace"] = ns,
                        ["labels"] = labels.DeepClone(),
                        ["annotations"] = new JsonObject { ["argoetl.test/stuck"] = obj["metadata"]?["annotations"]?["argoetl.test/stuck"]?.DeepClone() ?? "false" },
                        ["ownerReferences"] = new JsonArray(new JsonObject
                        {
                            ["apiVersion"] = "argoproj.io/v1alpha1", ["kind"] = obj["kind"]!.GetValue<string>(), ["name"] = name, ["uid"] = uid, ["controller"] = true,
                        }),
                    },
                    ["spec"] = new JsonObject
                    {
                        ["replicas"] = 1L,
                        ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                        ["template"] = new JsonObject
                        {
                            ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "main", ["image"] = sensor ? "argo-events-sensor:test" : "argo-events-eventsource:test" }) },
                        },
                    },
                };
                Stamp(deployment, null);
                var deploymentStored = new Stored(deployment);
                Bucket(deployments)[Key(deployments, ns, deploymentName)] = deploymentStored;
                AfterWrite(deployments, deploymentStored);
                Notify(deployments, "ADDED", deploymentStored);
            }
        }

        conditions.Add(Condition("Deployed", valid, valid ? "Succeeded" : "Failed", valid ? null : $"{(sensor ? "sensor" : "eventsource")} is invalid"));
        obj["status"] = new JsonObject { ["conditions"] = conditions };
    }

    // A controller's status write: a new resourceVersion and a MODIFIED event, no controller reaction.
    private void WriteStatus(KubeResourceType type, Stored stored, JsonObject updated)
    {
        Stamp(updated, stored.Object);
        stored.Object = updated;
        Notify(type, "MODIFIED", stored);
    }
}
