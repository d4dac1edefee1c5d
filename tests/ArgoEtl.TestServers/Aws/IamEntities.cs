namespace ArgoEtl.TestServers.Aws;

/// <summary>An IAM role: trust policy, inline policies, attached managed policies (ARNs), tags.</summary>
public sealed class RoleState(string name, string trustPolicy)
{
    public string Name { get; } = name;

    public string Arn => $"arn:aws:iam::{AwsState.AccountId}:role/{Name}";

    public string RoleId { get; } = "AROA" + Guid.NewGuid().ToString("N")[..17].ToUpperInvariant();

    public string TrustPolicy { get; set; } = trustPolicy;

    public string? Description { get; set; }

    public DateTime Created { get; } = DateTime.UtcNow;

    public Dictionary<string, string> Inline { get; } = new(StringComparer.Ordinal);

    public List<string> Attached { get; } = [];

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
}

/// <summary>A customer managed policy (one version, v1) and its tags; attachments are read from the roles.</summary>
public sealed class ManagedPolicyState(string name, string document)
{
    public string Name { get; } = name;

    public string Arn => $"arn:aws:iam::{AwsState.AccountId}:policy/{Name}";

    public string PolicyId { get; } = "ANPA" + Guid.NewGuid().ToString("N")[..17].ToUpperInvariant();

    public string Document { get; } = document;

    public DateTime Created { get; } = DateTime.UtcNow;

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Users or groups (not modelled otherwise) it is attached to, so a test can make it "attached elsewhere".</summary>
    public List<string> OtherAttachments { get; } = [];
}

/// <summary>An IAM OIDC provider: the issuer as IAM stores it (host/path, no scheme), audiences, thumbprints, tags.</summary>
public sealed class OidcProviderState(string url)
{
    public string Url { get; } = url;

    public string Arn => $"arn:aws:iam::{AwsState.AccountId}:oidc-provider/{Url}";

    public List<string> ClientIds { get; } = [];

    public List<string> Thumbprints { get; } = [];

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public DateTime Created { get; } = DateTime.UtcNow;
}

/// <summary>An EKS cluster with its OIDC issuer, node groups (name → node role ARN) and pod identity associations.</summary>
public sealed class EksClusterState(string name, string region)
{
    public string Name { get; } = name;

    public string Region { get; } = region;

    public string Arn => $"arn:aws:eks:{Region}:{AwsState.AccountId}:cluster/{Name}";

    public string Issuer { get; } = $"https://oidc.eks.{region}.amazonaws.com/id/{Guid.NewGuid().ToString("N").ToUpperInvariant()}";

    public string VpcId { get; } = "vpc-" + Guid.NewGuid().ToString("N")[..17];

    public Dictionary<string, string> Nodegroups { get; } = new(StringComparer.Ordinal);

    public List<PodIdentityAssociationState> Associations { get; } = [];
}

public sealed record PodIdentityAssociationState(string Id, string Cluster, string Region, string Namespace, string ServiceAccount, string RoleArn, DateTime Created)
{
    public string Arn => $"arn:aws:eks:{Region}:{AwsState.AccountId}:podidentityassociation/{Cluster}/{Id}";
}

/// <summary>An ELBv2 load balancer or target group, or an EC2 security group or network interface, with its tags.</summary>
public sealed record TaggedResource(string Kind, string Id, string Name, string VpcId, Dictionary<string, string> Tags)
{
    /// <summary>Network interfaces: "in-use" or "available".</summary>
    public string Status { get; init; } = "available";
}
