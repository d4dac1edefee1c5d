using ArgoEtl.Core.Aws;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// Step 1: the cluster's IAM OIDC provider (IRSA). EKS DescribeCluster gives the issuer; IAM GetOpenIDConnectProvider
/// says whether it exists; if not, CreateOpenIDConnectProvider with the audience sts.amazonaws.com and no thumbprint
/// (IAM checks the issuer's certificate against trusted CAs), tagged as ArgoEtl's so uninstall may remove it.
/// </summary>
public sealed class OidcProviderComponent : InfraComponent
{
    public override string Name => "OidcProvider";

    public override async Task<IReadOnlyList<InfraStep>> PlanInstallAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        string issuer = await EksFacts.IssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string arn = aws.Iam.OidcProviderArn(context.Account!, issuer);
        if (await EksFacts.Guard("Reading the OIDC provider", arn, ct => aws.Iam.GetOpenIdConnectProviderAsync(arn, ct), cancellationToken).ConfigureAwait(false) is not null)
        {
            return [];
        }

        return [new InfraStep(Name, "IamOidcProvider", arn, $"IAM CreateOpenIDConnectProvider {issuer} (audience sts.amazonaws.com)",
            async ct =>
            {
                await EksFacts.Guard("Creating the OIDC provider", arn, c => aws.Iam.CreateOpenIdConnectProviderAsync(issuer, ["sts.amazonaws.com"], null, eks.Tags, c), ct).ConfigureAwait(false);
                return "created";
            },
            ct => aws.Iam.DeleteOpenIdConnectProviderAsync(arn, ct))];
    }

    public override async Task<IReadOnlyList<InfraStep>> PlanRemovalAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        if (await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false) is not { } issuer)
        {
            return [];
        }

        string arn = aws.Iam.OidcProviderArn(context.Account!, issuer);
        var provider = await EksFacts.Guard("Reading the OIDC provider", arn, ct => aws.Iam.GetOpenIdConnectProviderAsync(arn, ct), cancellationToken).ConfigureAwait(false);

        // A provider made by eksctl or by hand may serve other roles: only ArgoEtl's own (tagged) goes.
        if (provider is null || !eks.Owns(provider.Tags))
        {
            return [];
        }

        // Even ArgoEtl's own provider stays while roles it did not make trust it (IRSA roles added to the cluster
        // later, e.g. the EBS CSI driver's): deleting it would break them all. Its own roles go in this same removal.
        var roles = await EksFacts.Guard("Listing the roles that trust the OIDC provider", arn, ct => aws.Iam.ListRolesAsync(ct), cancellationToken).ConfigureAwait(false);
        if (roles.Any(r => r.TrustPolicy?.Contains(arn, StringComparison.Ordinal) == true && r.Name != eks.ControllerRoleName && r.Name != eks.ArtifactRoleName))
        {
            return [];
        }

        return [new InfraStep(Name, "IamOidcProvider", arn, "IAM DeleteOpenIDConnectProvider", async ct =>
        {
            await EksFacts.Guard("Deleting the OIDC provider", arn, c => aws.Iam.DeleteOpenIdConnectProviderAsync(arn, c), ct).ConfigureAwait(false);
            return "deleted";
        })];
    }

    public override async Task<IReadOnlyList<string>?> ExternalProblemsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        if (await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false) is not { } issuer)
        {
            return [$"EksCluster/{context.RequireEks().ClusterName} missing"];
        }

        string arn = aws.Iam.OidcProviderArn(context.Account!, issuer);
        return await EksFacts.Guard("Reading the OIDC provider", arn, ct => aws.Iam.GetOpenIdConnectProviderAsync(arn, ct), cancellationToken).ConfigureAwait(false) is null ? [$"IamOidcProvider/{arn} missing"] : [];
    }
}
