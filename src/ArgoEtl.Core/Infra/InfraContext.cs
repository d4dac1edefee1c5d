using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra;

/// <summary>What components work with: the cluster, the options, and for Eks the AWS session and what was read of the account and cluster.</summary>
public sealed class InfraContext(KubeClient client, InfraOptions options)
{
    public KubeClient Client { get; } = client;

    public InfraOptions Options { get; } = options;

    /// <summary>How long post-apply steps may wait for what they need (the object store starting).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The AWS session (Eks only).</summary>
    public AwsSession? Aws { get; init; }

    /// <summary>The Eks options (Eks only).</summary>
    public EksOptions? Eks { get; init; }

    /// <summary>The account id, from STS (Eks only; read once when the plan is made).</summary>
    public string? Account { get; set; }

    /// <summary>The cluster, from EKS DescribeCluster (Eks only).</summary>
    public EksCluster? Cluster { get; set; }

    public AwsSession RequireAws() => Aws ?? throw new InvalidOperationException("This component needs an AWS session.");

    public EksOptions RequireEks() => Eks ?? throw new InvalidOperationException("This component needs the Eks options.");
}
