using System.Globalization;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// The Deployment fields the local target honours, as a whitelist (a field Kubernetes adds later is refused, not
/// ignored). Fields marked "no local effect" are scheduling, identity or rollout settings: a single host process on
/// this machine computes the same with or without them. Anything else stops the run with LocalUnsupportedField naming
/// the field and its file:line.
/// </summary>
internal static class WorkloadFieldCheck
{
    // "*" any value, "str" a scalar, "[X]" a list of X.
    private static readonly Dictionary<string, Dictionary<string, string>> Shapes = new(StringComparer.Ordinal)
    {
        ["deployment"] = new() { ["apiVersion"] = "str", ["kind"] = "str", ["metadata"] = "*", ["spec"] = "spec", ["status"] = "*" },
        ["spec"] = new()
        {
            ["replicas"] = "str", ["selector"] = "*", ["template"] = "template",
            // no local effect (one process, started once, replaced on redeploy):
            ["strategy"] = "*", ["revisionHistoryLimit"] = "str", ["minReadySeconds"] = "str", ["progressDeadlineSeconds"] = "str",
        },
        ["template"] = new() { ["metadata"] = "*", ["spec"] = "pod" },
        ["pod"] = new()
        {
            ["containers"] = "[container]", ["volumes"] = "[volume]", ["terminationGracePeriodSeconds"] = "str",
            // no local effect: the process runs as the current user, with no API access, on this one machine.
            ["securityContext"] = "*", ["serviceAccountName"] = "str", ["serviceAccount"] = "str", ["automountServiceAccountToken"] = "str",
            ["nodeSelector"] = "*", ["affinity"] = "*", ["tolerations"] = "*", ["priorityClassName"] = "str", ["imagePullSecrets"] = "*",
            ["restartPolicy"] = "str", ["topologySpreadConstraints"] = "*",
        },
        ["container"] = new()
        {
            ["name"] = "str", ["image"] = "str", ["args"] = "[str]", ["env"] = "[env]", ["envFrom"] = "[envFrom]", ["ports"] = "[port]",
            ["volumeMounts"] = "[volumeMount]", ["workingDir"] = "str",
            // readiness is "the port accepts connections" locally, whatever the probe kind; liveness restarts are the
            // process exiting (it is restarted with backoff).
            ["readinessProbe"] = "*", ["livenessProbe"] = "*", ["startupProbe"] = "*",
            // no local effect:
            ["resources"] = "*", ["imagePullPolicy"] = "str", ["securityContext"] = "*", ["terminationMessagePath"] = "str", ["terminationMessagePolicy"] = "str",
        },
        ["env"] = new() { ["name"] = "str", ["value"] = "str", ["valueFrom"] = "envValueFrom" },
        ["envValueFrom"] = new() { ["secretKeyRef"] = "keyRef", ["configMapKeyRef"] = "keyRef" },
        ["keyRef"] = new() { ["name"] = "str", ["key"] = "str", ["optional"] = "str" },
        ["envFrom"] = new() { ["prefix"] = "str", ["secretRef"] = "envFromRef", ["configMapRef"] = "envFromRef" },
        ["envFromRef"] = new() { ["name"] = "str", ["optional"] = "str" },
        ["port"] = new() { ["containerPort"] = "str", ["name"] = "str", ["protocol"] = "str" },
        ["volumeMount"] = new() { ["name"] = "str", ["mountPath"] = "str", ["readOnly"] = "str" },
        ["volume"] = new() { ["name"] = "str", ["secret"] = "secretVolume", ["configMap"] = "configMapVolume", ["emptyDir"] = "emptyDir", ["persistentVolumeClaim"] = "pvc" },
        ["secretVolume"] = new() { ["secretName"] = "str", ["optional"] = "str", ["defaultMode"] = "str" },
        ["configMapVolume"] = new() { ["name"] = "str", ["optional"] = "str", ["defaultMode"] = "str" },
        ["emptyDir"] = new() { ["medium"] = "str", ["sizeLimit"] = "str" },
        ["pvc"] = new() { ["claimName"] = "str", ["readOnly"] = "str" },
    };

    public static void Check(ManifestDocument document)
    {
        Check(document.Object, "deployment", string.Empty, document);
    }

    private static void Check(JsonNode? node, string shape, string pointer, ManifestDocument document)
    {
        if (shape == "*" || node is null)
        {
            return;
        }

        if (shape == "str")
        {
            if (node is JsonObject or JsonArray)
            {
                throw Unsupported(document, pointer, "a single value is expected here");
            }

            return;
        }

        if (shape.StartsWith('['))
        {
            if (node is not JsonArray list)
            {
                throw Unsupported(document, pointer, "a list is expected here");
            }

            for (int i = 0; i < list.Count; i++)
            {
                Check(list[i], shape[1..^1], pointer + "/" + i.ToString(CultureInfo.InvariantCulture), document);
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            throw Unsupported(document, pointer, "an object is expected here");
        }

        var fields = Shapes[shape];
        foreach (var (name, child) in obj)
        {
            string childPointer = pointer + "/" + Projects.YamlFile.Escape(name);
            if (!fields.TryGetValue(name, out string? childShape))
            {
                throw Unsupported(document, childPointer, null);
            }

            Check(child, childShape, childPointer, document);
        }
    }

    public static EtlException Unsupported(ManifestDocument document, string pointer, string? why) =>
        new(EtlErrors.LocalUnsupportedField, EtlErrorKind.InvalidArgument,
            $"{document.Kind}/{document.Name}: field '{Workflows.WorkflowFieldCheck.Field(pointer)}' at {document.Where(pointer)} is not supported by the local target{(why is null ? string.Empty : " (" + why + ")")}.",
            "Remove the field for local runs (a Skaffold profile can), or run this Deployment on the Kubernetes target; the local target never ignores a field it does not implement.",
            document.Where(pointer));
}
