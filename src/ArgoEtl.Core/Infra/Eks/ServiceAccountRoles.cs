using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>Trust policies of roles for service accounts: IRSA (web identity from the cluster's OIDC provider) or EKS Pod Identity.</summary>
public static class ServiceAccountRoles
{
    /// <summary>IRSA: sts:AssumeRoleWithWebIdentity from the provider, only for system:serviceaccount:NS:SA with audience sts.amazonaws.com.</summary>
    public static string IrsaTrust(string providerArn, string issuer, string ns, string serviceAccount)
    {
        string host = Aws.IamClient.IssuerHostPath(issuer);
        return new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Federated"] = providerArn },
                ["Action"] = "sts:AssumeRoleWithWebIdentity",
                ["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject
                    {
                        [$"{host}:sub"] = $"system:serviceaccount:{ns}:{serviceAccount}",
                        [$"{host}:aud"] = "sts.amazonaws.com",
                    },
                },
            }),
        }.ToJsonString();
    }

    /// <summary>EKS Pod Identity: the pods.eks.amazonaws.com service with sts:AssumeRole and sts:TagSession.</summary>
    public static string PodIdentityTrust() => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "pods.eks.amazonaws.com" },
            ["Action"] = new JsonArray("sts:AssumeRole", "sts:TagSession"),
        }),
    }.ToJsonString();
}
