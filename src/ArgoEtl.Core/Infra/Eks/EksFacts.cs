using System.Text.Json.Nodes;
using ArgoEtl.Core.Aws;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>What the Eks components read once per run (account, cluster, issuer), and AWS errors put in context.</summary>
internal static class EksFacts
{
    /// <summary>The cluster's OIDC issuer; the coded error EksClusterNotFound when the cluster is not in the region.</summary>
    public static async Task<string> IssuerAsync(InfraContext context, CancellationToken cancellationToken)
    {
        var eks = context.RequireEks();
        return await TryIssuerAsync(context, cancellationToken).ConfigureAwait(false) ?? throw new EtlException(EtlErrors.EksClusterNotFound, EtlErrorKind.NotFound,
            $"EKS cluster '{eks.ClusterName}' was not found in {context.RequireAws().Region}, or has no OIDC issuer.",
            "Check -ClusterName and -Region (aws eks list-clusters); Install-EtlInfra never creates the cluster.", eks.ClusterName);
    }

    public static async Task<string?> TryIssuerAsync(InfraContext context, CancellationToken cancellationToken)
    {
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        context.Account ??= (await aws.GetCallerIdentityAsync(cancellationToken).ConfigureAwait(false)).Account;
        context.Cluster ??= await Guard($"Reading EKS cluster {eks.ClusterName}", eks.ClusterName, ct => aws.Eks.DescribeClusterAsync(eks.ClusterName, ct), cancellationToken).ConfigureAwait(false);
        return context.Cluster?.OidcIssuer;
    }

    public static async Task<T> Guard<T>(string what, string target, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException(what, target);
        }
    }

    public static async Task Guard(string what, string target, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException(what, target);
        }
    }

    /// <summary>Whether two IAM policy documents say the same (IAM reformats what it stores).</summary>
    public static bool SameJson(string? a, string b)
    {
        if (a is null)
        {
            return false;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
