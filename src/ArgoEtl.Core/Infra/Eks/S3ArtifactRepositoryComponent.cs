using System.Text.Json.Nodes;
using ArgoEtl.Core.Infra.Components;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// The default artifact repository on S3 (-ArtifactBucket) instead of an in-cluster store: the artifact-repositories
/// ConfigMap (SDK credentials), the ServiceAccount argoetl-workflow for Workflows, and its IRSA role with an inline
/// policy for that bucket only.
/// </summary>
public sealed class S3ArtifactRepositoryComponent : InfraComponent
{
    private const string PolicyName = "argoetl-artifacts";

    public override string Name => "ArtifactRepository";

    public override async Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.RequireEks();
        var aws = context.RequireAws();
        if (eks.ArtifactBucket is null)
        {
            return [];
        }

        await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string ns = context.Options.EventsNamespace;
        return
        [
            new(KubeObjects.Obj("v1", "ServiceAccount", EksOptions.ArtifactServiceAccount, ns,
                annotations: new JsonObject { ["eks.amazonaws.com/role-arn"] = aws.Iam.RoleArn(context.Account!, eks.ArtifactRoleName) }), Name),
            new(KubeObjects.Binding("argoetl-workflow-executor", ns, "argoetl-executor", EksOptions.ArtifactServiceAccount), Name),
            new(KubeObjects.Obj("v1", "ConfigMap", "artifact-repositories", ns, new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["default-v1"] = RepositoryYaml(eks.ArtifactBucket, aws),
                },
            }, annotations: new JsonObject { ["workflows.argoproj.io/default-artifact-repository"] = "default-v1" }), Name),
        ];
    }

    public override async Task<IReadOnlyList<InfraStep>> PlanInstallAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        if (eks.ArtifactBucket is null)
        {
            return [];
        }

        string issuer = await EksFacts.IssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string role = eks.ArtifactRoleName;
        string policy = BucketPolicy(aws, eks.ArtifactBucket);
        var existing = await EksFacts.Guard($"Reading IAM role {role}", role, ct => aws.Iam.GetRoleAsync(role, ct), cancellationToken).ConfigureAwait(false);
        var steps = new List<InfraStep>();
        string? oldPolicy = null;
        if (existing is null)
        {
            string trust = ServiceAccountRoles.IrsaTrust(aws.Iam.OidcProviderArn(context.Account!, issuer), issuer, context.Options.EventsNamespace, EksOptions.ArtifactServiceAccount);
            steps.Add(new InfraStep(Name, "IamRole", role, $"IAM CreateRole (Workflows' {EksOptions.ArtifactServiceAccount} via the cluster's OIDC provider)", async ct =>
            {
                await EksFacts.Guard($"Creating IAM role {role}", role, c => aws.Iam.CreateRoleAsync(role, trust, "ArgoEtl artifact repository (Workflows)", eks.Tags, c), ct).ConfigureAwait(false);
                return "created";
            }, ct => aws.Iam.DeleteRoleAsync(role, ct)));
        }
        else
        {
            // The role exists: its inline policy still has to name this bucket (-ArtifactBucket may have changed).
            oldPolicy = await EksFacts.Guard($"Reading the inline policy {PolicyName} of IAM role {role}", role, ct => aws.Iam.GetRolePolicyAsync(role, PolicyName, ct), cancellationToken).ConfigureAwait(false);
            if (EksFacts.SameJson(oldPolicy, policy))
            {
                return [];
            }

            if (!eks.Owns(existing.Tags))
            {
                throw new EtlException(EtlErrors.AwsConflict,
                    $"IAM role {role} exists, was not created by ArgoEtl for cluster {eks.ClusterName} (it lacks the tags app.kubernetes.io/managed-by=argoetl and argoetl.io/cluster={eks.ClusterName}), and its inline policy {PolicyName} is not the one for s3://{eks.ArtifactBucket}; ArgoEtl does not change it.",
                    $"Delete that role if nothing uses it (aws iam delete-role --role-name {role}), or tag it app.kubernetes.io/managed-by=argoetl, argoetl.io/cluster={eks.ClusterName} to let Install-EtlInfra manage it; then run again.", role);
            }
        }

        string? before = oldPolicy;
        steps.Add(new InfraStep(Name, "IamRolePolicy", $"{role}/{PolicyName}", $"IAM PutRolePolicy (read/write s3://{eks.ArtifactBucket}{(oldPolicy is null ? string.Empty : ", replacing the policy for another bucket")})", async ct =>
        {
            await EksFacts.Guard($"Putting the artifact policy on {role}", role, c => aws.Iam.PutRolePolicyAsync(role, PolicyName, policy, c), ct).ConfigureAwait(false);
            return before is null ? "created" : "updated";
        }, before is null ? ct => aws.Iam.DeleteRolePolicyAsync(role, PolicyName, ct) : ct => aws.Iam.PutRolePolicyAsync(role, PolicyName, before, ct)));
        return steps;
    }

    /// <summary>Read/write on the bucket's objects, list and locate the bucket: nothing else.</summary>
    private static string BucketPolicy(Aws.AwsSession aws, string bucket)
    {
        string bucketArn = $"arn:{aws.Partition}:s3:::{bucket}";
        return new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(
                new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray("s3:ListBucket", "s3:GetBucketLocation"), ["Resource"] = bucketArn },
                new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), ["Resource"] = bucketArn + "/*" }),
        }.ToJsonString();
    }

    /// <summary>
    /// The repository as Workflows reads it, on the session's S3 endpoint (the region's, or -EndpointUrl's for an
    /// S3-compatible store), so the partition and region are right; plain HTTP is marked insecure as Argo requires.
    /// </summary>
    private static string RepositoryYaml(string bucket, Aws.AwsSession aws)
    {
        var endpoint = aws.EndpointFor("s3");
        string insecure = endpoint.Scheme == Uri.UriSchemeHttp ? "  insecure: true\n" : string.Empty;
        return $"s3:\n  bucket: {bucket}\n  endpoint: {endpoint.Authority}\n{insecure}  region: {aws.Region}\n  useSDKCreds: true\n";
    }


    public override async Task<IReadOnlyList<InfraStep>> PlanRemovalAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        string role = eks.ArtifactRoleName;
        var existing = await EksFacts.Guard($"Reading IAM role {role}", role, ct => aws.Iam.GetRoleAsync(role, ct), cancellationToken).ConfigureAwait(false);
        if (existing is null || !eks.Owns(existing.Tags))
        {
            return [];
        }

        return
        [
            new InfraStep(Name, "IamRolePolicy", $"{role}/{PolicyName}", "IAM DeleteRolePolicy", async ct =>
            {
                await aws.Iam.DeleteRolePolicyAsync(role, PolicyName, ct).ConfigureAwait(false);
                return "deleted";
            }),
            new InfraStep(Name, "IamRole", role, "IAM DeleteRole", async ct =>
            {
                await EksFacts.Guard($"Deleting IAM role {role}", role, c => aws.Iam.DeleteRoleAsync(role, c), ct).ConfigureAwait(false);
                return "deleted";
            }),
        ];
    }
}
