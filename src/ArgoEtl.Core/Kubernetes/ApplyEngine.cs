using System.Net;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>One object to apply, and the component it belongs to (for results and progress).</summary>
public sealed record KubeObject(JsonObject Object, string Component)
{
    public string Kind => Object["kind"]?.GetValue<string>() ?? string.Empty;

    public string ApiVersion => Object["apiVersion"]?.GetValue<string>() ?? string.Empty;

    public string Name => Object["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;

    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();
}

/// <summary>
/// Server-side apply of a set of objects in dependency order, and deletion of exactly what was applied. Every object
/// ArgoEtl creates carries app.kubernetes.io/managed-by=argoetl plus the project and run; an object that existed before
/// without that label is applied without it, so an uninstall never deletes something ArgoEtl did not create.
/// </summary>
public sealed class ApplyEngine(KubeClient client)
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "argoetl";
    public const string ProjectLabel = "argoetl.io/project";
    public const string RunLabel = "argoetl.io/run";

    private static readonly HashSet<string> ConfigKinds = new(StringComparer.Ordinal)
    {
        "ServiceAccount", "Secret", "ConfigMap", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "PriorityClass",
        "PersistentVolumeClaim", "LimitRange", "ResourceQuota", "NetworkPolicy",
    };

    private readonly ResourceMap _map = new(client);

    public string FieldManager { get; init; } = "argoetl";

    /// <summary>Take over fields another manager owns instead of failing with a conflict.</summary>
    public bool Force { get; init; }

    /// <summary>How long a CRD may take to be Established and a Deployment or StatefulSet to roll out.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Apply order: namespaces, CRDs, configuration and RBAC, workloads, then custom resources.</summary>
    public static int Phase(string apiVersion, string kind)
    {
        string group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        return kind switch
        {
            "Namespace" when group.Length == 0 => 0,
            "CustomResourceDefinition" => 1,
            _ when ConfigKinds.Contains(kind) => 2,
            _ when group.Length == 0 || !group.Contains('.', StringComparison.Ordinal) || group.EndsWith(".k8s.io", StringComparison.Ordinal) => 3,
            _ => 4,
        };
    }

    public async Task<IReadOnlyList<AppliedObject>> ApplyAsync(IReadOnlyList<KubeObject> objects, string project, string run, IProgress<AppliedObject>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        await _map.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<AppliedObject>();
        foreach (var phase in objects.GroupBy(o => Phase(o.ApiVersion, o.Kind)).OrderBy(g => g.Key))
        {
            var rollouts = new List<(ApiResource Resource, KubeObject Object)>();
            foreach (var obj in phase)
            {
                var (applied, resource) = await ApplyOneAsync(obj, project, run, cancellationToken).ConfigureAwait(false);
                results.Add(applied);
                progress?.Report(applied);
                if (obj.Kind is "Deployment" or "StatefulSet")
                {
                    rollouts.Add((resource, obj with { Object = WithNamespace(obj.Object, applied.Namespace) }));
                }
            }

            if (phase.Key == 1)
            {
                foreach (var crd in phase)
                {
                    await WaitForCrdAsync(crd.Name, cancellationToken).ConfigureAwait(false);
                }

                // The kinds the CRDs define exist only now.
                await _map.RefreshAsync(cancellationToken).ConfigureAwait(false);
            }

            foreach (var (resource, obj) in rollouts)
            {
                await WaitForRolloutAsync(resource, obj, cancellationToken).ConfigureAwait(false);
            }
        }

        return results;
    }

    /// <summary>Every object labelled as this project's, in deletion order: custom resources first, namespaces last.</summary>
    public async Task<IReadOnlyList<AppliedObject>> ListOwnedAsync(string project, CancellationToken cancellationToken)
    {
        await _map.RefreshAsync(cancellationToken).ConfigureAwait(false);
        string selector = Uri.EscapeDataString($"{ManagedByLabel}={ManagedByValue},{ProjectLabel}={project}");
        var found = new List<(ApiResource Resource, JsonObject Object)>();
        foreach (var resource in _map.All.Where(r => r.Kind is not ("Event" or "Pod")))
        {
            var list = await client.SendAsync(HttpMethod.Get, $"{resource.Collection(null)}?labelSelector={selector}", cancellationToken: cancellationToken).ConfigureAwait(false);
            found.AddRange((list.Body?["items"] as JsonArray ?? []).OfType<JsonObject>().Select(o => (resource, o)));
        }

        return [.. found.OrderByDescending(f => Phase(f.Resource.GroupVersion, f.Resource.Kind)).Select(f => new AppliedObject
        {
            Kind = f.Resource.Kind,
            Name = f.Object["metadata"]!["name"]!.GetValue<string>(),
            Namespace = f.Resource.Namespaced ? f.Object["metadata"]?["namespace"]?.GetValue<string>() : null,
            Action = "delete",
            Component = f.Object["metadata"]?["labels"]?["argoetl.io/component"]?.GetValue<string>(),
            ApiVersion = f.Resource.GroupVersion,
            Project = project,
        })];
    }

    /// <summary>Deletes what <see cref="ListOwnedAsync"/> found; something already gone is not an error.</summary>
    public async Task<IReadOnlyList<AppliedObject>> DeleteAsync(IReadOnlyList<AppliedObject> owned, IProgress<AppliedObject>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owned);
        var deleted = new List<AppliedObject>();
        foreach (var obj in owned)
        {
            var resource = _map.Find(obj.ApiVersion ?? string.Empty, obj.Kind);
            if (resource is null)
            {
                continue; // its CRD went first, and took it along
            }

            var response = await client.SendAsync(HttpMethod.Delete, resource.Item(obj.Namespace, obj.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccess && response.Status != HttpStatusCode.NotFound)
            {
                throw KubeClient.Failure(response, $"Deleting {obj.Kind}/{obj.Name}");
            }

            var result = new AppliedObject { Kind = obj.Kind, Name = obj.Name, Namespace = obj.Namespace, Action = "deleted", Component = obj.Component, ApiVersion = obj.ApiVersion, Project = obj.Project };
            deleted.Add(result);
            progress?.Report(result);
        }

        return deleted;
    }

    /// <summary>The resource an object will be applied to, and whether it exists now (for plans under -WhatIf).</summary>
    public async Task<IReadOnlyList<AppliedObject>> PlanAsync(IReadOnlyList<KubeObject> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        await _map.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var plan = new List<AppliedObject>();
        foreach (var obj in objects.OrderBy(o => Phase(o.ApiVersion, o.Kind)))
        {
            var resource = _map.Find(obj.ApiVersion, obj.Kind);
            string? ns = resource is { Namespaced: false } ? null : obj.Namespace ?? client.DefaultNamespace;
            bool exists = resource is not null && (await client.SendAsync(HttpMethod.Get, resource.Item(ns, obj.Name), cancellationToken: cancellationToken).ConfigureAwait(false)).IsSuccess;
            plan.Add(new AppliedObject { Kind = obj.Kind, ApiVersion = obj.ApiVersion, Name = obj.Name, Namespace = ns, Action = exists ? "apply (exists)" : "create", Component = obj.Component });
        }

        return plan;
    }

    private async Task<(AppliedObject Result, ApiResource Resource)> ApplyOneAsync(KubeObject obj, string project, string run, CancellationToken cancellationToken)
    {
        var resource = _map.Find(obj.ApiVersion, obj.Kind);
        if (resource is null)
        {
            await _map.RefreshAsync(cancellationToken).ConfigureAwait(false);
            resource = _map.Find(obj.ApiVersion, obj.Kind) ?? throw new EtlException(EtlErrors.KubeKindNotServed, $"The cluster does not serve {obj.Kind} ({obj.ApiVersion}) for {obj.Kind}/{obj.Name}.",
                "Install the CustomResourceDefinition for this kind first (Install-EtlInfra installs Argo's), or check apiVersion.", $"{obj.Kind}/{obj.Name}");
        }

        string? ns = resource.Namespaced ? obj.Namespace ?? client.DefaultNamespace : null;
        string where = $"{obj.Kind}/{obj.Name}{(ns is null ? string.Empty : $" in namespace {ns}")}";
        var before = await client.SendAsync(HttpMethod.Get, resource.Item(ns, obj.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!before.IsSuccess && before.Status != HttpStatusCode.NotFound)
        {
            throw KubeClient.Failure(before, $"Reading {where}");
        }

        bool exists = before.IsSuccess;
        bool ours = exists && before.Body?["metadata"]?["labels"]?[ManagedByLabel]?.GetValue<string>() == ManagedByValue;
        var body = WithNamespace((JsonObject)obj.Object.DeepClone(), ns);
        if (!exists || ours)
        {
            var metadata = body["metadata"]!.AsObject();
            var labels = metadata["labels"] as JsonObject ?? [];
            labels[ManagedByLabel] = ManagedByValue;
            labels[ProjectLabel] = project;
            labels[RunLabel] = run;
            labels["argoetl.io/component"] = obj.Component;
            metadata["labels"] = labels;
        }

        string path = $"{resource.Item(ns, obj.Name)}?fieldManager={FieldManager}{(Force ? "&force=true" : string.Empty)}";
        var after = await client.RequireAsync(HttpMethod.Patch, path, body, "application/apply-patch+yaml", $"Applying {where}", cancellationToken).ConfigureAwait(false);
        string action = !exists ? "created"
            : after?["metadata"]?["resourceVersion"]?.GetValue<string>() == before.Body?["metadata"]?["resourceVersion"]?.GetValue<string>() ? "unchanged" : "configured";
        if (exists && !ours)
        {
            action += " (existed before; left in place on uninstall)";
        }

        return (new AppliedObject { Kind = obj.Kind, ApiVersion = obj.ApiVersion, Name = obj.Name, Namespace = ns, Action = action, Component = obj.Component, Project = !exists || ours ? project : null }, resource);
    }

    private async Task WaitForCrdAsync(string name, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var crd = await client.RequireAsync(HttpMethod.Get, $"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{KubeClient.Escape(name)}", null, "application/json", $"Reading CRD {name}", cancellationToken).ConfigureAwait(false);
            if ((crd?["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Established" && c?["status"]?.GetValue<string>() == "True"))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new EtlException(EtlErrors.CrdNotEstablished, $"CRD {name} was not Established within {Timeout.TotalSeconds:0} s.",
                    "Check the API server's health and the CRD's status conditions (kubectl describe crd).", name);
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    // A rollout is done when the controller has seen the latest spec and every replica is updated and available.
    private async Task WaitForRolloutAsync(ApiResource resource, KubeObject obj, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var current = await client.RequireAsync(HttpMethod.Get, resource.Item(obj.Namespace, obj.Name), null, "application/json", $"Reading {obj.Kind}/{obj.Name}", cancellationToken).ConfigureAwait(false);
            long generation = current?["metadata"]?["generation"]?.GetValue<long>() ?? 0;
            var status = current?["status"];
            long replicas = current?["spec"]?["replicas"]?.GetValue<long>() ?? 1;
            long Count(string field) => status?[field]?.GetValue<long>() ?? 0;
            if ((status?["observedGeneration"]?.GetValue<long>() ?? 0) >= generation && Count("updatedReplicas") >= replicas && Count("availableReplicas") >= replicas)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new EtlException(EtlErrors.RolloutTimeout, $"{obj.Kind}/{obj.Name} in namespace {obj.Namespace} did not become available within {Timeout.TotalSeconds:0} s ({Count("availableReplicas")}/{replicas} available). {await ExplainAsync(obj, cancellationToken).ConfigureAwait(false)}",
                    "Fix what the events say (image pull, resources, crash loop), or raise -Timeout.", $"{obj.Kind}/{obj.Name}");
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> ExplainAsync(KubeObject obj, CancellationToken cancellationToken)
    {
        string selector = Uri.EscapeDataString($"involvedObject.name={obj.Name}");
        var events = await client.SendAsync(HttpMethod.Get, $"/api/v1/namespaces/{KubeClient.Escape(obj.Namespace ?? client.DefaultNamespace)}/events?fieldSelector={selector}", cancellationToken: cancellationToken).ConfigureAwait(false);
        var reasons = (events.Body?["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(e => $"{e["reason"]?.GetValue<string>()}: {e["message"]?.GetValue<string>()}").Distinct().ToList();
        return reasons.Count == 0 ? "No events were recorded for it." : "Events: " + string.Join("; ", reasons);
    }

    private static JsonObject WithNamespace(JsonObject obj, string? ns)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        if (ns is null)
        {
            metadata.Remove("namespace");
        }
        else
        {
            metadata["namespace"] = ns;
        }

        return obj;
    }
}
