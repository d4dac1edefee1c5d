using ArgoEtl.Core.Aws;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// The leftover report of the typical setup's eks-cleanup.sh, read-only: what in the region is tagged for the cluster.
/// Removal is a separate, per-item call (the cmdlet asks -Confirm for each), in dependency order: load balancers,
/// target groups, security groups, then network interfaces.
/// </summary>
public sealed class EksLeftovers(AwsSession aws)
{
    private static readonly string[] Order = ["LoadBalancer", "TargetGroup", "SecurityGroup", "NetworkInterface"];

    public async Task<IReadOnlyList<EksLeftover>> FindAsync(string cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var found = new List<EksLeftover>();
        try
        {
            var balancers = await aws.Elb.DescribeLoadBalancersAsync(cancellationToken).ConfigureAwait(false);
            var groups = await aws.Elb.DescribeTargetGroupsAsync(cancellationToken).ConfigureAwait(false);
            var tags = await aws.Elb.DescribeTagsAsync([.. balancers.Select(b => b.Arn), .. groups.Select(g => g.Arn)], cancellationToken).ConfigureAwait(false);
            bool Ours(string arn) => tags.TryGetValue(arn, out var t) && t.TryGetValue("elbv2.k8s.aws/cluster", out var c) && c == cluster;
            found.AddRange(balancers.Where(b => Ours(b.Arn)).Select(b => new EksLeftover { ClusterName = cluster, Kind = "LoadBalancer", Id = b.Arn, Name = b.Name, VpcId = b.VpcId, Tag = "elbv2.k8s.aws/cluster" }));
            found.AddRange(groups.Where(g => Ours(g.Arn)).Select(g => new EksLeftover { ClusterName = cluster, Kind = "TargetGroup", Id = g.Arn, Name = g.Name, VpcId = g.VpcId, Tag = "elbv2.k8s.aws/cluster" }));

            var securityGroups = new Dictionary<string, EksLeftover>(StringComparer.Ordinal);
            foreach (var (filter, value, tag) in new[] { ("tag:elbv2.k8s.aws/cluster", cluster, "elbv2.k8s.aws/cluster"), ("tag-key", $"kubernetes.io/cluster/{cluster}", $"kubernetes.io/cluster/{cluster}") })
            {
                foreach (var group in await aws.Ec2.DescribeSecurityGroupsAsync(filter, value, cancellationToken).ConfigureAwait(false))
                {
                    securityGroups.TryAdd(group.Id, new EksLeftover { ClusterName = cluster, Kind = "SecurityGroup", Id = group.Id, Name = group.Name, VpcId = group.VpcId, Tag = tag });
                }
            }

            found.AddRange(securityGroups.Values);
            found.AddRange((await aws.Ec2.DescribeNetworkInterfacesAsync("tag:cluster.k8s.amazonaws.com/name", cluster, cancellationToken).ConfigureAwait(false))
                .Select(n => new EksLeftover { ClusterName = cluster, Kind = "NetworkInterface", Id = n.Id, Name = n.Name, VpcId = n.VpcId, Status = n.Status, Tag = "cluster.k8s.amazonaws.com/name" }));
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException($"Listing what EKS cluster {cluster} left in {aws.Region}", cluster);
        }

        return [.. found.OrderBy(f => Array.IndexOf(Order, f.Kind))];
    }

    /// <summary>Deletes one leftover; false when it was already gone.</summary>
    public async Task<bool> RemoveAsync(EksLeftover leftover, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leftover);
        try
        {
            switch (leftover.Kind)
            {
                case "LoadBalancer": await aws.Elb.DeleteLoadBalancerAsync(leftover.Id, cancellationToken).ConfigureAwait(false); break;
                case "TargetGroup": await aws.Elb.DeleteTargetGroupAsync(leftover.Id, cancellationToken).ConfigureAwait(false); break;
                case "SecurityGroup": await aws.Ec2.DeleteSecurityGroupAsync(leftover.Id, cancellationToken).ConfigureAwait(false); break;
                case "NetworkInterface": await aws.Ec2.DeleteNetworkInterfaceAsync(leftover.Id, cancellationToken).ConfigureAwait(false); break;
                default: throw new ArgumentException($"Unknown leftover kind {leftover.Kind}.", nameof(leftover));
            }

            return true;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return false;
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException($"Deleting {leftover}", leftover.Id);
        }
    }
}
