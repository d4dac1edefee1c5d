using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// Reads the Deployments of the manifests into what the local target runs, and refuses what it cannot run before
/// anything starts: other workload kinds, more than one container or replica, fields outside the whitelist, and
/// images that are not built from a .NET project of this one (a host process is the only way a workload runs here).
/// </summary>
public static class WorkloadParser
{
    private const string PodPointer = "/spec/template/spec";

    /// <summary>Workload kinds the local target does not run: refused, since ignoring one would change what the pipeline does.</summary>
    private static readonly HashSet<string> OtherWorkloads = new(StringComparer.Ordinal) { "StatefulSet", "DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob" };

    public static IReadOnlyList<WorkloadDefinition> Parse(IEnumerable<ManifestDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var workloads = new List<WorkloadDefinition>();
        foreach (var document in documents)
        {
            if (OtherWorkloads.Contains(document.Kind))
            {
                throw new EtlException(EtlErrors.LocalUnsupportedField, EtlErrorKind.InvalidArgument,
                    $"{document}: the local target runs Deployments (as host processes), not a {document.Kind}.",
                    $"Turn it into a Deployment, leave it out of local runs with a Skaffold profile, or run the project on the Kubernetes target.", document.Where("/kind"));
            }

            if (document.Kind == "Deployment" && Parse(document) is { } workload)
            {
                workloads.Add(workload);
            }
        }

        return workloads;
    }

    /// <summary>
    /// Every workload's image must run as a host process: built by the project from a .NET project. A container image
    /// (a Dockerfile artifact, a registry image) is refused at its image line.
    /// </summary>
    public static void CheckImages(IEnumerable<WorkloadDefinition> workloads, IReadOnlyDictionary<string, HostImage> hostImages)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(hostImages);
        RefuseWhere(workloads, w => !hostImages.ContainsKey(w.Image));
    }

    /// <summary>
    /// The same check before anything is built, on manifests rendered without images: a Deployment whose image is an
    /// artifact built as a container (a Dockerfile) is refused at once, not after a build that may not even be
    /// possible on this machine (a base image to pull).
    /// </summary>
    public static void CheckArtifacts(IEnumerable<WorkloadDefinition> workloads, IReadOnlySet<string> containerArtifacts)
    {
        ArgumentNullException.ThrowIfNull(containerArtifacts);
        RefuseWhere(workloads, w => containerArtifacts.Contains(w.Image));
    }

    private static void RefuseWhere(IEnumerable<WorkloadDefinition> workloads, Func<WorkloadDefinition, bool> refused)
    {
        ArgumentNullException.ThrowIfNull(workloads);
        foreach (var workload in workloads.Where(refused))
        {
            throw new EtlException(EtlErrors.LocalUnsupportedField, EtlErrorKind.InvalidArgument,
                $"{workload}: image '{workload.Image}' at {workload.Where("/image")} is not built by the project from a .NET project, and the local target runs a Deployment only as such a host process (no pods, no container runtime for long-running servers).",
                "Leave this Deployment out of local runs with a Skaffold profile and point its Service at a server you run (a Service without a selector plus Endpoints, or an ExternalName Service) — examples/ftp's 'host' profile does so for vsftpd.",
                workload.Where("/image"));
        }
    }

    private static WorkloadDefinition? Parse(ManifestDocument document)
    {
        WorkloadFieldCheck.Check(document);
        var spec = document.Object["spec"] as JsonObject;
        if (spec?["replicas"] is JsonValue replicas && replicas.TryGetValue(out long count) && count != 1)
        {
            if (count == 0)
            {
                return null;
            }

            throw WorkloadFieldCheck.Unsupported(document, "/spec/replicas", "one process per Deployment: replicas would share ports and volumes on one machine");
        }

        var pod = spec?["template"]?["spec"] as JsonObject;
        if (pod?["containers"] is not JsonArray { Count: > 0 } containers)
        {
            throw WorkloadFieldCheck.Unsupported(document, PodPointer + "/containers", "a Deployment needs one container");
        }

        if (containers.Count > 1)
        {
            throw WorkloadFieldCheck.Unsupported(document, PodPointer + "/containers/1", "one container per Deployment: sidecars are not run");
        }

        var container = containers[0]!.AsObject();
        string containerPointer = PodPointer + "/containers/0";
        if (container["ports"] is JsonArray { Count: > 1 })
        {
            throw WorkloadFieldCheck.Unsupported(document, containerPointer + "/ports/1", "a host process is given one port (ASPNETCORE_URLS)");
        }

        if ((string?)container["ports"]?[0]?["protocol"] is { } protocol && protocol != "TCP")
        {
            throw WorkloadFieldCheck.Unsupported(document, containerPointer + "/ports/0/protocol", "only TCP ports are served");
        }

        // Every mount names a volume, every volume is of one kind: caught here so a typo is a file:line, not a late error.
        var volumes = pod["volumes"] as JsonArray ?? [];
        var names = volumes.Select(v => (string?)v?["name"]).ToHashSet(StringComparer.Ordinal);
        var mounts = container["volumeMounts"] as JsonArray ?? [];
        for (int i = 0; i < mounts.Count; i++)
        {
            if (!names.Contains((string?)mounts[i]?["name"]))
            {
                throw new EtlException(EtlErrors.LocalReferenceNotFound, EtlErrorKind.InvalidData,
                    $"{document}: volumeMount '{(string?)mounts[i]?["name"]}' at {document.Where($"{containerPointer}/volumeMounts/{i}")} names no volume of the pod.",
                    "Add the volume under spec.template.spec.volumes, or correct the name.", document.Where($"{containerPointer}/volumeMounts/{i}"));
            }
        }

        for (int i = 0; i < volumes.Count; i++)
        {
            if (volumes[i] is not JsonObject volume || volume.Count(p => p.Key != "name") != 1)
            {
                throw WorkloadFieldCheck.Unsupported(document, $"{PodPointer}/volumes/{i}", "a volume must be one of secret, configMap, emptyDir, persistentVolumeClaim");
            }
        }

        var labels = (spec?["template"]?["metadata"]?["labels"] as JsonObject ?? [])
            .ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
        var grace = pod["terminationGracePeriodSeconds"] is JsonValue g && g.GetValueKind() == JsonValueKind.Number
            ? TimeSpan.FromSeconds(g.GetValue<double>())
            : TimeSpan.FromSeconds(30);
        return new WorkloadDefinition(document.Name, document, container, containerPointer, volumes, labels, grace);
    }

    /// <summary>The container port (number), or null when the container declares none.</summary>
    internal static int? ContainerPort(WorkloadDefinition workload) =>
        workload.Container["ports"]?[0]?["containerPort"] is JsonValue v && int.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : null;

    internal static string? ContainerPortName(WorkloadDefinition workload) => (string?)workload.Container["ports"]?[0]?["name"];
}
