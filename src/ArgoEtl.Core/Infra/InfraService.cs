using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Core.Infra;

/// <summary>Install, inspect, uninstall the local platform, and read the Argo Workflows UI token.</summary>
public sealed class InfraService(KubeClient client, InfraOptions options)
{
    public InfraPlanner Planner { get; } = new(client, options);

    public async Task<IReadOnlyList<AppliedObject>> InstallAsync(IReadOnlyList<KubeObject> plan, ApplyEngine engine, IProgress<AppliedObject>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var applied = await engine.ApplyAsync(plan, InfraOptions.ProjectName, Planner.RunId(), progress, cancellationToken).ConfigureAwait(false);

        // The store's S3 API: where the caller says, or through a port-forward to its service (no exec into the pod).
        AppliedObject bucket;
        if (options.ObjectStoreEndpoint is { } endpoint)
        {
            bucket = await CreateBucketAsync(endpoint, engine.Timeout, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var forward = PortForward.Start(client, options.EventsNamespace, "service", "minio", 9000);
            bucket = await CreateBucketAsync(new Uri($"http://{forward.Local}"), engine.Timeout, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(bucket);
        return [.. applied, bucket];
    }

    /// <summary>Each component: its objects exist, CRDs are Established, Deployments available, the token filled in.</summary>
    public async Task<IReadOnlyList<InfraComponentStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var map = new ResourceMap(client);
        await map.RefreshAsync(cancellationToken).ConfigureAwait(false);
        var plan = await Planner.PlanAsync(cancellationToken).ConfigureAwait(false);
        var statuses = new List<InfraComponentStatus>();
        foreach (var component in plan.GroupBy(o => o.Component))
        {
            var problems = new List<string>();
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
            int expected = component.Count(o => o.Kind != "Namespace");
            int absent = problems.Count(p => !p.StartsWith("Namespace/", StringComparison.Ordinal) && (p.EndsWith("missing", StringComparison.Ordinal) || p.Contains("not served", StringComparison.Ordinal)));
            bool allMissing = absent == expected;
            statuses.Add(new InfraComponentStatus
            {
                Component = component.Key,
                Status = problems.Count == 0 ? "Healthy" : allMissing ? "Missing" : "Degraded",
                Objects = component.Count(),
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

    // Through the S3 API with the store's own root credentials, read from the Secret (never printed). A store that is
    // still starting refuses connections for a while: retried until the timeout.
    private async Task<AppliedObject> CreateBucketAsync(Uri endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var secret = await client.RequireAsync(HttpMethod.Get, $"/api/v1/namespaces/{options.EventsNamespace}/secrets/{InfraSecrets.ObjectStoreSecret}", null, "application/json",
            "Reading the object store's credentials", cancellationToken).ConfigureAwait(false);
        string Field(string key) => Encoding.UTF8.GetString(Convert.FromBase64String(secret?["data"]?[key]?.GetValue<string>() ?? string.Empty));
        using var s3 = S3ClientFactory.Create(new AwsConnection { EndpointUrl = endpoint, Region = AwsConnection.EndpointDefaultRegion, Credentials = new BasicAWSCredentials(Field("root-user"), Field("root-password")) });
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await s3.PutBucketAsync(options.ArtifactBucket, cancellationToken).ConfigureAwait(false);
                return new AppliedObject { Kind = "S3Bucket", Name = options.ArtifactBucket, Action = "created", Component = InfraPlanner.ObjectStore };
            }
            catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                return new AppliedObject { Kind = "S3Bucket", Name = options.ArtifactBucket, Action = "unchanged", Component = InfraPlanner.ObjectStore };
            }
            catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException && DateTime.UtcNow < deadline && ex is not AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden })
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException ex)
            {
                throw new EtlException("ArtifactBucketFailed", EtlErrorKind.Connection, $"Creating bucket '{options.ArtifactBucket}' at {UrlRedaction.Redact(endpoint)} failed: {UrlRedaction.Redact(ex.ErrorCode ?? ex.Message)}",
                    "Check that the object store is running (kubectl get pods -n argo-events), or pass -ObjectStoreEndpoint with an address of its S3 API.", UrlRedaction.Redact(endpoint), ex);
            }
        }
    }

    private static bool Condition(JsonNode? obj, string type) =>
        (obj?["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == type && c?["status"]?.GetValue<string>() == "True");
}
