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
                    ["default-v1"] = $"s3:\n  bucket: {eks.ArtifactBucket}\n  endpoint: s3.amazonaws.com\n  region: {aws.Region}\n  useSDKCreds: true\n",
                },
            }, annotations: new JsonObject { ["workflows.argoproj.io/default-artifact-repository"] = "default-v1" }), Name),
        ];
    }

    public override async Task<IReadOnlyList<InfraStep>> PlanInstallAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        string issuer = await EksFacts.IssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string role = eks.ArtifactRoleName;
        if (await EksFacts.Guard($"Reading IAM role {role}", role, ct => aws.Iam.GetRoleAsync(role, ct), cancellationToken).ConfigureAwait(false) is not null)
        {
            return [];
        }

        string trust = ServiceAccountRoles.IrsaTrust(aws.Iam.OidcProviderArn(context.Account!, issuer), issuer, context.Options.EventsNamespace, EksOptions.ArtifactServiceAccount);
        string bucketArn = $"arn:{aws.Partition}:s3:::{eks.ArtifactBucket}";
        string policy = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(
                new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray("s3:ListBucket", "s3:GetBucketLocation"), ["Resource"] = bucketArn },
                new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), ["Resource"] = bucketArn + "/*" }),
        }.ToJsonString();
        return
        [
            new InfraStep(Name, "IamRole", role, $"IAM CreateRole (Workflows' {EksOptions.ArtifactServiceAccount} via the cluster's OIDC provider)", async ct =>
            {
                await EksFacts.Guard($"Creating IAM role {role}", role, c => aws.Iam.CreateRoleAsync(role, trust, "ArgoEtl artifact repository (Workflows)", eks.Tags, c), ct).ConfigureAwait(false);
                return "created";
            }, ct => aws.Iam.DeleteRoleAsync(role, ct)),
            new InfraStep(Name, "IamRolePolicy", $"{role}/{PolicyName}", $"IAM PutRolePolicy (read/write s3://{eks.ArtifactBucket})", async ct =>
            {
                await EksFacts.Guard($"Putting the artifact policy on {role}", role, c => aws.Iam.PutRolePolicyAsync(role, PolicyName, policy, c), ct).ConfigureAwait(false);
                return "created";
            }, ct => aws.Iam.DeleteRolePolicyAsync(role, PolicyName, ct)),
        ];
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
