using System.Xml.Linq;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// The EC2 calls of the leftover report: security groups and network interfaces found by tag filters, and their
/// deletion. EC2's Query dialect: Filter.N.Name / Filter.N.Value.M in, &lt;item&gt; lists and lower-case names out.
/// </summary>
public sealed class Ec2Client(AwsQueryClient query)
{
    /// <summary>Security groups matching one filter (e.g. "tag:elbv2.k8s.aws/cluster" = name, or "tag-key" = "kubernetes.io/cluster/name").</summary>
    public async Task<IReadOnlyList<Ec2Resource>> DescribeSecurityGroupsAsync(string filterName, string filterValue, CancellationToken cancellationToken)
    {
        var items = new List<Ec2Resource>();
        await PagedAsync("DescribeSecurityGroups", filterName, filterValue, r => items.AddRange(AwsQueryClient.Members(r, "securityGroupInfo").Select(i => new Ec2Resource(
            AwsQueryClient.Text(i, "groupId") ?? string.Empty, AwsQueryClient.Text(i, "groupName") ?? string.Empty, AwsQueryClient.Text(i, "vpcId"), null, Tags(i)))), cancellationToken).ConfigureAwait(false);
        return items;
    }

    /// <summary>Network interfaces matching one filter; Status is "available" for a detached (deletable) one.</summary>
    public async Task<IReadOnlyList<Ec2Resource>> DescribeNetworkInterfacesAsync(string filterName, string filterValue, CancellationToken cancellationToken)
    {
        var items = new List<Ec2Resource>();
        await PagedAsync("DescribeNetworkInterfaces", filterName, filterValue, r => items.AddRange(AwsQueryClient.Members(r, "networkInterfaceSet").Select(i => new Ec2Resource(
            AwsQueryClient.Text(i, "networkInterfaceId") ?? string.Empty, AwsQueryClient.Text(i, "description") ?? string.Empty, AwsQueryClient.Text(i, "vpcId"),
            AwsQueryClient.Text(i, "status"), Tags(i)))), cancellationToken).ConfigureAwait(false);
        return items;
    }

    public Task DeleteSecurityGroupAsync(string groupId, CancellationToken cancellationToken) =>
        query.CallAsync("DeleteSecurityGroup", [new("GroupId", groupId)], cancellationToken);

    public Task DeleteNetworkInterfaceAsync(string id, CancellationToken cancellationToken) =>
        query.CallAsync("DeleteNetworkInterface", [new("NetworkInterfaceId", id)], cancellationToken);

    private static Dictionary<string, string> Tags(XElement item)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in AwsQueryClient.Members(item, "tagSet"))
        {
            tags[AwsQueryClient.Text(tag, "key") ?? string.Empty] = AwsQueryClient.Text(tag, "value") ?? string.Empty;
        }

        return tags;
    }

    private async Task PagedAsync(string action, string filterName, string filterValue, Action<XElement> read, CancellationToken cancellationToken)
    {
        string? next = null;
        do
        {
            var parameters = new List<KeyValuePair<string, string>> { new("Filter.1.Name", filterName), new("Filter.1.Value.1", filterValue) };
            if (next is not null)
            {
                parameters.Add(new("NextToken", next));
            }

            var result = await query.CallAsync(action, parameters, cancellationToken).ConfigureAwait(false);
            read(result);
            next = AwsQueryClient.Text(result, "nextToken") is { Length: > 0 } token ? token : null;
        }
        while (next is not null);
    }
}

/// <summary>A security group or network interface: id, name (or description), VPC, status (interfaces), tags.</summary>
public sealed record Ec2Resource(string Id, string Name, string? VpcId, string? Status, IReadOnlyDictionary<string, string> Tags);
