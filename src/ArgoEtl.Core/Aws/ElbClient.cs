using System.Xml.Linq;

namespace ArgoEtl.Core.Aws;

/// <summary>The Elastic Load Balancing v2 calls of the leftover report (describe, tags, delete), over the Query protocol.</summary>
public sealed class ElbClient(AwsQueryClient query)
{
    public async Task<IReadOnlyList<ElbLoadBalancer>> DescribeLoadBalancersAsync(CancellationToken cancellationToken)
    {
        var items = new List<ElbLoadBalancer>();
        await PagedAsync("DescribeLoadBalancers", r => items.AddRange(AwsQueryClient.Members(r, "LoadBalancers").Select(m => new ElbLoadBalancer(
            AwsQueryClient.Text(m, "LoadBalancerArn") ?? string.Empty,
            AwsQueryClient.Text(m, "LoadBalancerName") ?? string.Empty,
            AwsQueryClient.Text(m, "Type") ?? string.Empty,
            AwsQueryClient.Text(m, "VpcId"),
            AwsQueryClient.Text(m, "DNSName")))), cancellationToken).ConfigureAwait(false);
        return items;
    }

    public async Task<IReadOnlyList<ElbTargetGroup>> DescribeTargetGroupsAsync(CancellationToken cancellationToken)
    {
        var items = new List<ElbTargetGroup>();
        await PagedAsync("DescribeTargetGroups", r => items.AddRange(AwsQueryClient.Members(r, "TargetGroups").Select(m => new ElbTargetGroup(
            AwsQueryClient.Text(m, "TargetGroupArn") ?? string.Empty,
            AwsQueryClient.Text(m, "TargetGroupName") ?? string.Empty,
            AwsQueryClient.Text(m, "VpcId")))), cancellationToken).ConfigureAwait(false);
        return items;
    }

    /// <summary>Tags of load balancers and target groups by ARN (DescribeTags takes at most 20 ARNs a call).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> DescribeTagsAsync(IReadOnlyList<string> arns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arns);
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var chunk in arns.Chunk(20))
        {
            var page = await query.CallAsync("DescribeTags", AwsQueryClient.List("ResourceArns", chunk), cancellationToken).ConfigureAwait(false);
            foreach (var description in AwsQueryClient.Members(page, "TagDescriptions"))
            {
                result[AwsQueryClient.Text(description, "ResourceArn") ?? string.Empty] = AwsQueryClient.Members(description, "Tags")
                    .ToDictionary(t => AwsQueryClient.Text(t, "Key") ?? string.Empty, t => AwsQueryClient.Text(t, "Value") ?? string.Empty, StringComparer.Ordinal);
            }
        }

        return result;
    }

    public Task DeleteLoadBalancerAsync(string arn, CancellationToken cancellationToken) =>
        query.CallAsync("DeleteLoadBalancer", [new("LoadBalancerArn", arn)], cancellationToken);

    public Task DeleteTargetGroupAsync(string arn, CancellationToken cancellationToken) =>
        query.CallAsync("DeleteTargetGroup", [new("TargetGroupArn", arn)], cancellationToken);

    private async Task PagedAsync(string action, Action<XElement> read, CancellationToken cancellationToken)
    {
        string? marker = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>>();
            if (marker is not null)
            {
                parameters.Add(new("Marker", marker));
            }

            var result = await query.CallAsync(action, parameters, cancellationToken).ConfigureAwait(false);
            read(result);
            marker = AwsQueryClient.Text(result, "NextMarker") is { Length: > 0 } next ? next : null;
        }
        while (marker is not null);
    }
}

/// <summary>An Application/Network Load Balancer.</summary>
public sealed record ElbLoadBalancer(string Arn, string Name, string Type, string? VpcId, string? DnsName);

/// <summary>An ELBv2 target group.</summary>
public sealed record ElbTargetGroup(string Arn, string Name, string? VpcId);
