using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace ArgoEtl.TestServers.Aws;

/// <summary>
/// EKS over REST-JSON (clusters with an OIDC issuer, node groups, pod identity associations), and the ELBv2 and EC2
/// describe/delete calls of the leftover report. Errors as the services send them: EKS names the type in
/// x-amzn-ErrorType (ResourceNotFoundException 404, ResourceInUseException 409, InvalidParameterException 400); EC2
/// answers &lt;Response&gt;&lt;Errors&gt;.
/// </summary>
public sealed partial class LocalAwsServer
{
    private async Task EksAsync(HttpContext context, string region, string rawPath, string rawQuery, byte[] content)
    {
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var query = ParseForm(rawQuery);
        string method = context.Request.Method;
        string action = (method, segments) switch
        {
            ("GET", ["clusters", _]) => "DescribeCluster",
            ("GET", ["clusters", _, "node-groups"]) => "ListNodegroups",
            ("GET", ["clusters", _, "node-groups", _]) => "DescribeNodegroup",
            ("POST", ["clusters", _, "pod-identity-associations"]) => "CreatePodIdentityAssociation",
            ("GET", ["clusters", _, "pod-identity-associations"]) => "ListPodIdentityAssociations",
            ("GET", ["clusters", _, "pod-identity-associations", _]) => "DescribePodIdentityAssociation",
            ("DELETE", ["clusters", _, "pod-identity-associations", _]) => "DeletePodIdentityAssociation",
            _ => "Unsupported",
        };
        State.Calls.Enqueue(new AwsCall("eks", action, AwsActions.IsMutating(action)));
        if (TryFault(action, out var fault))
        {
            await RestJsonErrorAsync(context, fault.Status, fault.Code, fault.Message).ConfigureAwait(false);
            return;
        }

        if (action == "Unsupported")
        {
            await RestJsonErrorAsync(context, 404, "UnknownOperationException", $"{method} {rawPath} is not an EKS operation served here.").ConfigureAwait(false);
            return;
        }

        var body = content.Length == 0 ? [] : JsonNode.Parse(Encoding.UTF8.GetString(content)) as JsonObject ?? [];
        (int Status, JsonObject Answer, string? Error) result;
        lock (State.Gate)
        {
            result = Eks(action, region, segments, query, body);
        }

        if (result.Error is not null)
        {
            await RestJsonErrorAsync(context, result.Status, result.Error, result.Answer["message"]!.GetValue<string>()).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = result.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(result.Answer.ToJsonString()).ConfigureAwait(false);
    }

    private (int, JsonObject, string?) Eks(string action, string region, string[] segments, Dictionary<string, string> query, JsonObject body)
    {
        static (int, JsonObject, string?) Fail(int status, string type, string message) => (status, new JsonObject { ["message"] = message }, type);

        if (!State.Clusters.TryGetValue((region, segments[1]), out var cluster))
        {
            return Fail(404, "ResourceNotFoundException", $"No cluster found for name: {segments[1]}.");
        }

        JsonObject Association(PodIdentityAssociationState a, bool full)
        {
            var json = new JsonObject
            {
                ["clusterName"] = cluster.Name,
                ["namespace"] = a.Namespace,
                ["serviceAccount"] = a.ServiceAccount,
                ["associationArn"] = a.Arn,
                ["associationId"] = a.Id,
            };
            if (full)
            {
                json["roleArn"] = a.RoleArn;
                json["createdAt"] = new DateTimeOffset(a.Created).ToUnixTimeMilliseconds() / 1000.0;
                json["tags"] = new JsonObject();
            }

            return json;
        }

        switch (action)
        {
            case "DescribeCluster":
                return (200, new JsonObject
                {
                    ["cluster"] = new JsonObject
                    {
                        ["name"] = cluster.Name,
                        ["arn"] = cluster.Arn,
                        ["version"] = "1.31",
                        ["status"] = "ACTIVE",
                        ["endpoint"] = $"https://{cluster.Issuer[(cluster.Issuer.LastIndexOf('/') + 1)..]}.gr7.{region}.eks.amazonaws.com",
                        ["identity"] = new JsonObject { ["oidc"] = new JsonObject { ["issuer"] = cluster.Issuer } },
                        ["resourcesVpcConfig"] = new JsonObject { ["vpcId"] = cluster.VpcId },
                    },
                }, null);
            case "ListNodegroups":
                return (200, new JsonObject { ["nodegroups"] = new JsonArray([.. cluster.Nodegroups.Keys.Select(k => (JsonNode)k)]) }, null);
            case "DescribeNodegroup":
                return cluster.Nodegroups.TryGetValue(segments[3], out var nodeRole)
                    ? (200, new JsonObject { ["nodegroup"] = new JsonObject { ["nodegroupName"] = segments[3], ["clusterName"] = cluster.Name, ["status"] = "ACTIVE", ["nodeRole"] = nodeRole } }, null)
                    : Fail(404, "ResourceNotFoundException", $"No node group found for name: {segments[3]}.");
            case "CreatePodIdentityAssociation":
                string ns = body["namespace"]?.GetValue<string>() ?? string.Empty;
                string sa = body["serviceAccount"]?.GetValue<string>() ?? string.Empty;
                string roleArn = body["roleArn"]?.GetValue<string>() ?? string.Empty;
                if (ns.Length == 0 || sa.Length == 0 || roleArn.Length == 0)
                {
                    return Fail(400, "InvalidParameterException", "namespace, serviceAccount and roleArn are required.");
                }

                if (cluster.Associations.FirstOrDefault(a => a.Namespace == ns && a.ServiceAccount == sa) is { } existing)
                {
                    return Fail(409, "ResourceInUseException", $"Association already exists: {existing.Id}");
                }

                string roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
                if (!State.Roles.TryGetValue(roleName, out var role) || role.Arn != roleArn)
                {
                    return Fail(400, "InvalidParameterException", $"Role {roleArn} does not exist.");
                }

                // Pod Identity assumes the role as pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession.
                if (!role.TrustPolicy.Contains("pods.eks.amazonaws.com", StringComparison.Ordinal) || !role.TrustPolicy.Contains("sts:TagSession", StringComparison.Ordinal))
                {
                    return Fail(400, "InvalidParameterException", $"Role {roleArn} does not trust pods.eks.amazonaws.com for sts:AssumeRole and sts:TagSession.");
                }

                var created = new PodIdentityAssociationState("a-" + Guid.NewGuid().ToString("N")[..17], cluster.Name, region, ns, sa, roleArn, DateTime.UtcNow);
                cluster.Associations.Add(created);
                return (200, new JsonObject { ["association"] = Association(created, full: true) }, null);
            case "ListPodIdentityAssociations":
                var matches = cluster.Associations
                    .Where(a => !query.TryGetValue("namespace", out var n) || a.Namespace == n)
                    .Where(a => !query.TryGetValue("serviceAccount", out var s) || a.ServiceAccount == s);
                return (200, new JsonObject { ["associations"] = new JsonArray([.. matches.Select(a => (JsonNode)Association(a, full: false))]) }, null);
            case "DescribePodIdentityAssociation" or "DeletePodIdentityAssociation":
                var found = cluster.Associations.FirstOrDefault(a => a.Id == segments[3]);
                if (found is null)
                {
                    return Fail(404, "ResourceNotFoundException", $"Association {segments[3]} not found.");
                }

                if (action == "DeletePodIdentityAssociation")
                {
                    cluster.Associations.Remove(found);
                }

                return (200, new JsonObject { ["association"] = Association(found, full: true) }, null);
            default:
                return Fail(400, "InvalidRequestException", action);
        }
    }

    private static Task RestJsonErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = code + ":http://internal.amazon.com/coral/com.amazonaws.eks/";
        return context.Response.WriteAsync(new JsonObject { ["message"] = message }.ToJsonString());
    }

    // ---- ELBv2 (Query protocol) ----

    private QueryResult Elb(string action, Dictionary<string, string> form)
    {
        lock (State.Gate)
        {
            switch (action)
            {
                case "DescribeLoadBalancers":
                    return QueryResult.Ok(new XElement("LoadBalancers", State.Tagged.Where(t => t.Kind == "loadbalancer").Select(t => new XElement("member",
                        new XElement("LoadBalancerArn", t.Id), new XElement("LoadBalancerName", t.Name), new XElement("Type", "application"),
                        new XElement("Scheme", "internet-facing"), new XElement("VpcId", t.VpcId), new XElement("DNSName", $"{t.Name}-1234567890.us-east-1.elb.amazonaws.com"),
                        new XElement("State", new XElement("Code", "active"))))));
                case "DescribeTargetGroups":
                    return QueryResult.Ok(new XElement("TargetGroups", State.Tagged.Where(t => t.Kind == "targetgroup").Select(t => new XElement("member",
                        new XElement("TargetGroupArn", t.Id), new XElement("TargetGroupName", t.Name), new XElement("VpcId", t.VpcId), new XElement("Protocol", "HTTP")))));
                case "DescribeTags":
                    var arns = Enumerable.Range(1, 20).Select(i => form.GetValueOrDefault($"ResourceArns.member.{i}")).OfType<string>().ToList();
                    if (arns.Count == 0)
                    {
                        return QueryResult.Error(400, "ValidationError", "ResourceArns is required.");
                    }

                    return QueryResult.Ok(new XElement("TagDescriptions", arns.Select(a => State.Tagged.FirstOrDefault(t => t.Id == a)).OfType<TaggedResource>().Select(t => new XElement("member",
                        new XElement("ResourceArn", t.Id), new XElement("Tags", t.Tags.Select(kv => new XElement("member", new XElement("Key", kv.Key), new XElement("Value", kv.Value))))))));
                case "DeleteLoadBalancer" or "DeleteTargetGroup":
                    string id = form.GetValueOrDefault(action == "DeleteLoadBalancer" ? "LoadBalancerArn" : "TargetGroupArn") ?? string.Empty;
                    State.Tagged.RemoveAll(t => t.Id == id);
                    return QueryResult.Ok();
                default:
                    return QueryResult.Error(400, "InvalidAction", $"The action {action} is not valid for this endpoint.");
            }
        }
    }

    // ---- EC2 (its own Query dialect) ----

    private static readonly XNamespace Ec2Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private async Task Ec2Async(HttpContext context, string region, Dictionary<string, string> form)
    {
        _ = region;
        string action = form.GetValueOrDefault("Action") ?? string.Empty;
        State.Calls.Enqueue(new AwsCall("ec2", action, AwsActions.IsMutating(action)));
        if (TryFault(action, out var fault))
        {
            await Ec2ErrorAsync(context, fault.Status, fault.Code, fault.Message).ConfigureAwait(false);
            return;
        }

        XElement? answer = null;
        (int Status, string Code, string Message)? error = null;
        lock (State.Gate)
        {
            bool Matches(TaggedResource t)
            {
                string? name = form.GetValueOrDefault("Filter.1.Name");
                string? value = form.GetValueOrDefault("Filter.1.Value.1");
                return name switch
                {
                    null => true,
                    "tag-key" => value is not null && t.Tags.ContainsKey(value),
                    _ when name.StartsWith("tag:", StringComparison.Ordinal) => t.Tags.TryGetValue(name[4..], out var v) && v == value,
                    "vpc-id" => t.VpcId == value,
                    _ => false,
                };
            }

            XElement TagSet(TaggedResource t) => new("tagSet", t.Tags.Select(kv => new XElement("item", new XElement("key", kv.Key), new XElement("value", kv.Value))));

            switch (action)
            {
                case "DescribeSecurityGroups":
                    answer = new XElement("securityGroupInfo", State.Tagged.Where(t => t.Kind == "securitygroup" && Matches(t)).Select(t => new XElement("item",
                        new XElement("ownerId", AwsState.AccountId), new XElement("groupId", t.Id), new XElement("groupName", t.Name), new XElement("vpcId", t.VpcId), TagSet(t))));
                    break;
                case "DescribeNetworkInterfaces":
                    answer = new XElement("networkInterfaceSet", State.Tagged.Where(t => t.Kind == "networkinterface" && Matches(t)).Select(t => new XElement("item",
                        new XElement("networkInterfaceId", t.Id), new XElement("description", t.Name), new XElement("vpcId", t.VpcId), new XElement("status", t.Status), TagSet(t))));
                    break;
                case "DeleteSecurityGroup" or "DeleteNetworkInterface":
                    string id = form.GetValueOrDefault(action == "DeleteSecurityGroup" ? "GroupId" : "NetworkInterfaceId") ?? string.Empty;
                    var target = State.Tagged.FirstOrDefault(t => t.Id == id);
                    if (target is null)
                    {
                        error = (400, action == "DeleteSecurityGroup" ? "InvalidGroup.NotFound" : "InvalidNetworkInterfaceID.NotFound", $"The {(action == "DeleteSecurityGroup" ? "security group" : "networkInterface ID")} '{id}' does not exist");
                    }
                    else if (target.Status == "in-use")
                    {
                        error = (400, "InvalidNetworkInterface.InUse", $"Interface: [{id}] in use.");
                    }
                    else
                    {
                        State.Tagged.Remove(target);
                        answer = new XElement("return", "true");
                    }

                    break;
                default:
                    error = (400, "InvalidAction", $"The action {action} is not valid for this web service.");
                    break;
            }
        }

        if (error is { } e)
        {
            await Ec2ErrorAsync(context, e.Status, e.Code, e.Message).ConfigureAwait(false);
            return;
        }

        await WriteXmlAsync(context, 200, Requalify(new XElement(action + "Response", new XElement("requestId", Guid.NewGuid().ToString()), answer), Ec2Ns)).ConfigureAwait(false);
    }

    private static Task Ec2ErrorAsync(HttpContext context, int status, string code, string message) =>
        WriteXmlAsync(context, status, new XElement("Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))),
            new XElement("RequestID", Guid.NewGuid().ToString())));
}
