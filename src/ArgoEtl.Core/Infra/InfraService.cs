using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra;

/// <summary>Install, inspect and uninstall a platform composition (Local by default), and read the Argo Workflows UI token.</summary>
public sealed class InfraService
{
    private readonly KubeClient client;
    private readonly InfraOptions options;

    /// <summary>The Local platform.</summary>
    public InfraService(KubeClient client, InfraOptions options)
        : this(new InfraPlanner(client, options))
    {
    }

    public InfraService(InfraPlanner planner)
    {
        ArgumentNullException.ThrowIfNull(planner);
        Planner = planner;
        client = planner.Context.Client;
        options = planner.Context.Options;
    }

    public InfraPlanner Planner { get; }

    /// <summary>Applies <paramref name="plan"/> (objects from <see cref="InfraPlanner.PlanAsync"/>) and runs every component's post-apply steps.</summary>
    public async Task<IReadOnlyList<AppliedObject>> InstallAsync(IReadOnlyList<KubeObject> plan, ApplyEngine engine, IProgress<AppliedObject>? progress, CancellationToken cancellationToken)
    {
        var full = await Planner.PlanInstallAsync(cancellationToken).ConfigureAwait(false);
        return await InstallAsync(full with { Objects = plan }, engine, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The steps before the objects (rolled back together, only what this run made, when one fails), the objects by
    /// server-side apply, then the steps after.
    /// </summary>
    public async Task<IReadOnlyList<AppliedObject>> InstallAsync(InfraInstallPlan plan, ApplyEngine engine, IProgress<AppliedObject>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(engine);
        var before = await InfraStep.RunAsync(plan.Before, progress, cancellationToken).ConfigureAwait(false);
        var applied = await engine.ApplyAsync(plan.Objects, InfraOptions.ProjectName, Planner.RunId(), progress, cancellationToken).ConfigureAwait(false);
        var after = await InfraStep.RunAsync(plan.After, progress, cancellationToken).ConfigureAwait(false);
        return [.. before, .. applied, .. after];
    }

    /// <summary>Each component: its objects exist, CRDs are Established, Deployments available, the token filled in.</summary>
    public async Task<IReadOnlyList<InfraComponentStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var map = new ResourceMap(client);
        await map.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new List<InfraComponentStatus>();
        foreach (var part in Planner.Components)
        {
            var component = await part.ObjectsAsync(Planner.Context, cancellationToken).ConfigureAwait(false);
            var external = await part.ExternalProblemsAsync(Planner.Context, cancellationToken).ConfigureAwait(false);
            var problems = new List<string>(external ?? []);
            foreach (var obj in component)
            {
                var resource = map.Find(obj.ApiVersion, obj.Kind);
                if (resource is null)
                {
                    problems.Add($"{obj.Kind} is not served (its CRD is missing)");
                    continue;
                }

                var current = await client.SendAsync(HttpMethod.Get, resource.Item(resource.Namespaced ? obj.Namespace : null, obj.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
                if (!current.IsSuccess)
                {
                    problems.Add($"{obj.Kind}/{obj.Name} missing");
                    continue;
                }

                string? trouble = obj.Kind switch
                {
                    "CustomResourceDefinition" when !Condition(current.Body, "Established") => "not Established",
                    "Deployment" or "StatefulSet" when (current.Body?["status"]?["availableReplicas"]?.GetValue<long>() ?? 0) < (current.Body?["spec"]?["replicas"]?.GetValue<long>() ?? 1) => "not available",
                    "Secret" when obj.Name == InfraPlanner.UiTokenSecret && current.Body?["data"]?["token"] is null => "has no token yet",
                    _ => null,
                };
                if (trouble is not null)
                {
                    problems.Add($"{obj.Kind}/{obj.Name} {trouble}");
                }
            }

            // A namespace alone (perhaps one that existed before) does not make a component installed.
            int expected = component.Count(o => o.Kind != "Namespace") + (external is null ? 0 : Math.Max(1, external.Count));
            int absent = problems.Count(p => !p.StartsWith("Namespace/", StringComparison.Ordinal) && (p.EndsWith("missing", StringComparison.Ordinal) || p.Contains("not served", StringComparison.Ordinal)));
            bool allMissing = absent == expected || (external is not null && component.Count == 0 && absent > 0);
            statuses.Add(new InfraComponentStatus
            {
                Component = part.Name,
                Status = problems.Count == 0 ? "Healthy" : allMissing ? "Missing" : "Degraded",
                Objects = component.Count,
                Problems = problems,
            });
        }

        return statuses;
    }

    /// <summary>What Install created (labelled as the infra project's), in the order Uninstall deletes it.</summary>
    public static Task<IReadOnlyList<AppliedObject>> OwnedAsync(ApplyEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.ListOwnedAsync(InfraOptions.ProjectName, cancellationToken);
    }

    /// <summary>The Argo Workflows UI's "Bearer ..." login token, from the service-account token Secret Install created.</summary>
    public async Task<string> WorkflowTokenAsync(CancellationToken cancellationToken)
    {
        string path = $"/api/v1/namespaces/{options.WorkflowsNamespace}/secrets/{InfraPlanner.UiTokenSecret}";
        var secret = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (secret.Status == HttpStatusCode.NotFound)
        {
            throw new EtlException("WorkflowTokenMissing", EtlErrorKind.NotFound, $"Secret {InfraPlanner.UiTokenSecret} does not exist in namespace {options.WorkflowsNamespace}.",
                "Run Install-EtlInfra first.", InfraPlanner.UiTokenSecret);
        }

        if (!secret.IsSuccess)
        {
            throw KubeClient.Failure(secret, $"Reading Secret {InfraPlanner.UiTokenSecret}");
        }

        string token = secret.Body?["data"]?["token"]?.GetValue<string>() ?? throw new EtlException("WorkflowTokenPending", EtlErrorKind.Connection,
            $"Secret {InfraPlanner.UiTokenSecret} has no token yet.", "The token controller fills it in within seconds; try again.", InfraPlanner.UiTokenSecret);
        return "Bearer " + Encoding.UTF8.GetString(Convert.FromBase64String(token));
    }

    private static bool Condition(JsonNode? obj, string type) =>
        (obj?["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == type && c?["status"]?.GetValue<string>() == "True");
}
