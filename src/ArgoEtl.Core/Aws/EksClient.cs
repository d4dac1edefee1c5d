using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The EKS calls infra makes, over REST-JSON: DescribeCluster (for the OIDC issuer), ListNodegroups and
/// DescribeNodegroup (the node role), and Create/List/DeletePodIdentityAssociation. Reads return null when the
/// resource does not exist; other AWS errors are thrown as <see cref="AwsServiceException"/>.
/// </summary>
public sealed class EksClient(AwsRestJsonClient rest)
{
    /// <summary>The cluster, or null when there is none of that name in the region.</summary>
    public async Task<EksCluster?> DescribeClusterAsync(string name, CancellationToken cancellationToken)
    {
        var result = await OrNull(rest.CallAsync("DescribeCluster", HttpMethod.Get, $"/clusters/{AwsRestJsonClient.Segment(name)}", null, null, cancellationToken)).ConfigureAwait(false);
        if (result?["cluster"] is not JsonObject cluster)
        {
            return null;
        }

        return new EksCluster(
            Str(cluster, "name") ?? name,
            Str(cluster, "arn") ?? string.Empty,
            Str(cluster, "status") ?? "UNKNOWN",
            Str(cluster, "version"),
            cluster["identity"]?["oidc"]?["issuer"]?.GetValue<string>(),
            cluster["resourcesVpcConfig"]?["vpcId"]?.GetValue<string>());
    }

    public async Task<IReadOnlyList<string>> ListNodegroupsAsync(string cluster, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        string? next = null;
        do
        {
            var page = await rest.CallAsync("ListNodegroups", HttpMethod.Get, $"/clusters/{AwsRestJsonClient.Segment(cluster)}/node-groups",
                [new("nextToken", next)], null, cancellationToken).ConfigureAwait(false);
            names.AddRange((page["nodegroups"] as JsonArray ?? []).Select(n => n!.GetValue<string>()));
            next = Str(page, "nextToken");
        }
        while (next is not null);

        return names;
    }

    /// <summary>The node group's status and node role, or null when it does not exist.</summary>
    public async Task<EksNodegroup?> DescribeNodegroupAsync(string cluster, string nodegroup, CancellationToken cancellationToken)
    {
        var result = await OrNull(rest.CallAsync("DescribeNodegroup", HttpMethod.Get,
            $"/clusters/{AwsRestJsonClient.Segment(cluster)}/node-groups/{AwsRestJsonClient.Segment(nodegroup)}", null, null, cancellationToken)).ConfigureAwait(false);
        return result?["nodegroup"] is JsonObject ng
            ? new EksNodegroup(Str(ng, "nodegroupName") ?? nodegroup, Str(ng, "status") ?? "UNKNOWN", Str(ng, "nodeRole"))
            : null;
    }

    /// <summary>CreatePodIdentityAssociation; one for the same namespace and service account is ResourceInUseException.</summary>
    public async Task<EksPodIdentityAssociation> CreatePodIdentityAssociationAsync(string cluster, string ns, string serviceAccount, string roleArn,
        IReadOnlyDictionary<string, string>? tags, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceAccount"] = serviceAccount,
            ["roleArn"] = roleArn,
            ["clientRequestToken"] = Guid.NewGuid().ToString(),
        };
        if (tags is { Count: > 0 })
        {
            body["tags"] = new JsonObject(tags.Select(t => new KeyValuePair<string, JsonNode?>(t.Key, t.Value)));
        }

        var result = await rest.CallAsync("CreatePodIdentityAssociation", HttpMethod.Post, $"/clusters/{AwsRestJsonClient.Segment(cluster)}/pod-identity-associations",
            null, body, cancellationToken).ConfigureAwait(false);
        return ReadAssociation(result["association"] as JsonObject ?? []);
    }

    /// <summary>The cluster's associations, optionally only those of one namespace and service account.</summary>
    public async Task<IReadOnlyList<EksPodIdentityAssociation>> ListPodIdentityAssociationsAsync(string cluster, string? ns, string? serviceAccount, CancellationToken cancellationToken)
    {
        var items = new List<EksPodIdentityAssociation>();
        string? next = null;
        do
        {
            var page = await rest.CallAsync("ListPodIdentityAssociations", HttpMethod.Get, $"/clusters/{AwsRestJsonClient.Segment(cluster)}/pod-identity-associations",
                [new("namespace", ns), new("serviceAccount", serviceAccount), new("nextToken", next)], null, cancellationToken).ConfigureAwait(false);
            items.AddRange((page["associations"] as JsonArray ?? []).OfType<JsonObject>().Select(ReadAssociation));
            next = Str(page, "nextToken");
        }
        while (next is not null);

        return items;
    }

    /// <summary>Deletes the association; false when it was not there.</summary>
    public async Task<bool> DeletePodIdentityAssociationAsync(string cluster, string associationId, CancellationToken cancellationToken) =>
        await OrNull(rest.CallAsync("DeletePodIdentityAssociation", HttpMethod.Delete,
            $"/clusters/{AwsRestJsonClient.Segment(cluster)}/pod-identity-associations/{AwsRestJsonClient.Segment(associationId)}", null, null, cancellationToken)).ConfigureAwait(false) is not null;

    private static EksPodIdentityAssociation ReadAssociation(JsonObject a) => new(
        Str(a, "associationId") ?? string.Empty,
        Str(a, "associationArn") ?? string.Empty,
        Str(a, "namespace") ?? string.Empty,
        Str(a, "serviceAccount") ?? string.Empty,
        Str(a, "roleArn"));

    private static string? Str(JsonObject obj, string name) => obj[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static async Task<JsonObject?> OrNull(Task<JsonObject> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}

/// <summary>An EKS cluster as infra needs it: the OIDC issuer URL (https://oidc.eks.REGION.amazonaws.com/id/ID) and the VPC.</summary>
public sealed record EksCluster(string Name, string Arn, string Status, string? Version, string? OidcIssuer, string? VpcId);

/// <summary>An EKS managed node group and its node role ARN.</summary>
public sealed record EksNodegroup(string Name, string Status, string? NodeRoleArn);

/// <summary>An EKS Pod Identity association: a namespace/service account bound to a role. (The role is absent from List results.)</summary>
public sealed record EksPodIdentityAssociation(string AssociationId, string AssociationArn, string Namespace, string ServiceAccount, string? RoleArn);
