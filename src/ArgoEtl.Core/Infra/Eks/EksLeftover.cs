namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// Something an EKS cluster's controllers made in AWS and `eksctl delete cluster` leaves behind: a load balancer or
/// target group (tag elbv2.k8s.aws/cluster), a security group (that tag, or kubernetes.io/cluster/NAME), or a network
/// interface of the VPC CNI (cluster.k8s.amazonaws.com/name).
/// </summary>
public sealed class EksLeftover
{
    public required string ClusterName { get; init; }

    /// <summary>The region it is in: Remove-EtlInfraLeftover binds it by property name, so it deletes where Get-EtlInfraLeftover looked.</summary>
    public required string Region { get; init; }

    /// <summary>LoadBalancer, TargetGroup, SecurityGroup or NetworkInterface.</summary>
    public required string Kind { get; init; }

    /// <summary>The ARN (ELBv2) or id (EC2).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? VpcId { get; init; }

    /// <summary>The tag that ties it to the cluster.</summary>
    public required string Tag { get; init; }

    /// <summary>Network interfaces: "in-use" ones cannot be deleted until what uses them is gone.</summary>
    public string? Status { get; init; }

    public override string ToString() => $"{Kind} {Name} ({Id})";
}
