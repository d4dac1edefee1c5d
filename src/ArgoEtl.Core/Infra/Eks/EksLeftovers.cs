using ArgoEtl.Core.Aws;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// The leftover report of the typical setup's eks-cleanup.sh, read-only: what in the region is tagged for the cluster.
/// Removal is a separate, per-item call (the cmdlet asks -Confirm for each), in dependency order: load balancers,
/// target groups, security groups, then network interfaces. Both refuse (EksClusterStillExists) while the cluster is
/// still there, since then what it tags is in use, not left over; a network interface still in use is skipped.
/// </summary>
public sealed class EksLeftovers(AwsSession aws)
{
    private static readonly string[] Order = ["LoadBalancer", "TargetGroup", "SecurityGroup", "NetworkInterface"];

    public async Task<IReadOnlyList<EksLeftover>> FindAsync(string cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        await RequireClusterGoneAsync(cluster, cancellationToken).ConfigureAwait(false);
        var found = new List<EksLeftover>();
        try
        {
            var balancers = await aws.Elb.DescribeLoadBalancersAsync(cancellationToken).ConfigureAwait(false);
            var groups = await aws.Elb.DescribeTargetGroupsAsync(cancellationToken).ConfigureAwait(false);
            var tags = await aws.Elb.DescribeTagsAsync([.. balancers.Select(b => b.Arn), .. groups.Select(g => g.Arn)], cancellationToken).ConfigureAwait(false);
            bool Ours(string arn) => tags.TryGetValue(arn, out var t) && t.TryGetValue("elbv2.k8s.aws/cluster", out var c) && c == cluster;
            found.AddRange(balancers.Where(b => Ours(b.Arn)).Select(b => new EksLeftover { ClusterName = cluster, Region = aws.Region, Kind = "LoadBalancer", Id = b.Arn, Name = b.Name, VpcId = b.VpcId, Tag = "elbv2.k8s.aws/cluster" }));
            found.AddRange(groups.Where(g => Ours(g.Arn)).Select(g => new EksLeftover { ClusterName = cluster, Region = aws.Region, Kind = "TargetGroup", Id = g.Arn, Name = g.Name, VpcId = g.VpcId, Tag = "elbv2.k8s.aws/cluster" }));

            var securityGroups = new Dictionary<string, EksLeftover>(StringComparer.Ordinal);
            foreach (var (filter, value, tag) in new[] { ("tag:elbv2.k8s.aws/cluster", cluster, "elbv2.k8s.aws/cluster"), ("tag-key", $"kubernetes.io/cluster/{cluster}", $"kubernetes.io/cluster/{cluster}") })
            {
                foreach (var group in await aws.Ec2.DescribeSecurityGroupsAsync(filter, value, cancellationToken).ConfigureAwait(false))
                {
                    securityGroups.TryAdd(group.Id, new EksLeftover { ClusterName = cluster, Region = aws.Region, Kind = "SecurityGroup", Id = group.Id, Name = group.Name, VpcId = group.VpcId, Tag = tag });
                }
            }

            found.AddRange(securityGroups.Values);
            found.AddRange((await aws.Ec2.DescribeNetworkInterfacesAsync("tag:cluster.k8s.amazonaws.com/name", cluster, cancellationToken).ConfigureAwait(false))
                .Select(n => new EksLeftover { ClusterName = cluster, Region = aws.Region, Kind = "NetworkInterface", Id = n.Id, Name = n.Name, VpcId = n.VpcId, Status = n.Status, Tag = "cluster.k8s.amazonaws.com/name" }));
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException($"Listing what EKS cluster {cluster} left in {aws.Region}", cluster);
        }

        return [.. found.OrderBy(f => Array.IndexOf(Order, f.Kind))];
    }

    /// <summary>Deletes one leftover: Removed, AlreadyGone, or InUse (a network interface something still uses, left alone).</summary>
    public async Task<EksLeftoverRemoval> RemoveAsync(EksLeftover leftover, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leftover);
        await RequireClusterGoneAsync(leftover.ClusterName, cancellationToken).ConfigureAwait(false);
        if (leftover.Kind == "NetworkInterface" && leftover.Status == "in-use")
        {
            return EksLeftoverRemoval.InUse;
        }

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

            return EksLeftoverRemoval.Removed;
        }
        catch (AwsServiceException ex) when (ex.IsNotFound)
        {
            return EksLeftoverRemoval.AlreadyGone;
        }
        catch (AwsServiceException ex) when (ex.Code == "InvalidNetworkInterface.InUse")
        {
            // It became in use after the report: still not a leftover.
            return EksLeftoverRemoval.InUse;
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException($"Deleting {leftover}", leftover.Id);
        }
    }

    private async Task RequireClusterGoneAsync(string cluster, CancellationToken cancellationToken)
    {
        EksCluster? existing;
        try
        {
            existing = await aws.Eks.DescribeClusterAsync(cluster, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            throw ex.ToEtlException($"Checking that EKS cluster {cluster} is gone from {aws.Region}", cluster);
        }

        if (existing is not null)
        {
            throw new EtlException(EtlErrors.EksClusterStillExists,
                $"EKS cluster '{cluster}' still exists in {aws.Region} (status {existing.Status}): what it tagged is in use by it, not left over.",
                $"Delete the cluster first (eksctl delete cluster --name {cluster} --region {aws.Region}), then list and remove its leftovers.", cluster);
        }
    }
}
