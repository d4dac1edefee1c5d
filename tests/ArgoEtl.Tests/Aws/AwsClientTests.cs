using System.Diagnostics;
using System.Text.Json;
using ArgoEtl.Core.Aws;
using ArgoEtl.Etl.Aws;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Aws;

/// <summary>The IAM, EKS, ELBv2 and EC2 clients against the signature-checking local AWS endpoint, and the one region rule.</summary>
public sealed class AwsClientTests
{
    private const string Region = "eu-west-1";

    [Fact]
    public async Task Iam_roles_managed_policies_attachments_and_oidc_providers_round_trip_with_the_services_errors()
    {
        await using var aws = await LocalAws.StartAsync();
        string issuer = aws.State.AddCluster("etl", Region);
        using var session = aws.Session(Region);
        var iam = session.Iam;

        // OIDC provider: created once; IAM keeps the issuer without its scheme; a second create is a 409 conflict.
        string providerArn = await iam.CreateOpenIdConnectProviderAsync(issuer, ["sts.amazonaws.com"], null, new Dictionary<string, string> { ["argoetl.io/cluster"] = "etl" }, default);
        Assert.Equal(iam.OidcProviderArn(AwsState.AccountId, issuer), providerArn);
        var provider = await iam.GetOpenIdConnectProviderAsync(providerArn, default);
        Assert.Equal(IamClient.IssuerHostPath(issuer), provider!.Url);
        Assert.Equal(["sts.amazonaws.com"], provider.ClientIds);
        Assert.Equal("etl", provider.Tags["argoetl.io/cluster"]);
        var again = await Assert.ThrowsAsync<AwsServiceException>(() => iam.CreateOpenIdConnectProviderAsync(issuer, ["sts.amazonaws.com"], null, null, default));
        Assert.True(again.IsConflict);
        Assert.Equal("EntityAlreadyExists", again.Code);
        Assert.Contains(providerArn, await iam.ListOpenIdConnectProvidersAsync(default));

        // A role trusting the provider; its trust policy comes back as sent (IAM URL-encodes it on the wire).
        string trust = JsonSerializer.Serialize(new { Version = "2012-10-17", Statement = new[] { new { Effect = "Allow", Principal = new { Federated = providerArn }, Action = "sts:AssumeRoleWithWebIdentity" } } });
        var role = await iam.CreateRoleAsync("etl-lbc", trust, "test", new Dictionary<string, string> { ["k"] = "v" }, default);
        Assert.Equal(iam.RoleArn(AwsState.AccountId, "etl-lbc"), role.Arn);
        Assert.Equal(trust, (await iam.GetRoleAsync("etl-lbc", default))!.TrustPolicy);
        Assert.Null(await iam.GetRoleAsync("nobody", default));
        Assert.Equal("EntityAlreadyExists", (await Assert.ThrowsAsync<AwsServiceException>(() => iam.CreateRoleAsync("ETL-LBC", trust, null, null, default))).Code);

        // A federated principal that does not exist is refused, as IAM refuses it.
        string badTrust = trust.Replace(providerArn, providerArn + "x", StringComparison.Ordinal);
        Assert.Equal("MalformedPolicyDocument", (await Assert.ThrowsAsync<AwsServiceException>(() => iam.CreateRoleAsync("other", badTrust, null, null, default))).Code);

        // Managed policy, attached: neither the policy nor the role can be deleted until detached.
        var policy = await iam.CreatePolicyAsync("etl-policy", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticloadbalancing:*","Resource":"*"}]}""", null, null, default);
        Assert.Equal(iam.PolicyArn(AwsState.AccountId, "etl-policy"), policy.Arn);
        await iam.AttachRolePolicyAsync("etl-lbc", policy.Arn, default);
        await iam.AttachRolePolicyAsync("etl-lbc", policy.Arn, default);
        Assert.Equal([policy.Arn], await iam.ListAttachedRolePoliciesAsync("etl-lbc", default));
        Assert.Equal(1, (await iam.GetPolicyAsync(policy.Arn, default))!.AttachmentCount);
        Assert.Equal(["etl-lbc"], (await iam.ListEntitiesForPolicyAsync(policy.Arn, default)).Roles);
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsServiceException>(() => iam.DeletePolicyAsync(policy.Arn, default))).Code);
        Assert.Equal("DeleteConflict", (await Assert.ThrowsAsync<AwsServiceException>(() => iam.DeleteRoleAsync("etl-lbc", default))).Code);
        Assert.Contains("elasticloadbalancing", await iam.GetPolicyDocumentAsync(policy.Arn, policy.DefaultVersionId, default), StringComparison.Ordinal);

        Assert.True(await iam.DetachRolePolicyAsync("etl-lbc", policy.Arn, default));
        Assert.False(await iam.DetachRolePolicyAsync("etl-lbc", policy.Arn, default));
        Assert.True(await iam.DeletePolicyAsync(policy.Arn, default));
        Assert.False(await iam.DeletePolicyAsync(policy.Arn, default));
        Assert.True(await iam.DeleteRoleAsync("etl-lbc", default));
        Assert.False(await iam.DeleteRoleAsync("etl-lbc", default));
        Assert.True(await iam.DeleteOpenIdConnectProviderAsync(providerArn, default));
        Assert.False(await iam.DeleteOpenIdConnectProviderAsync(providerArn, default));
        Assert.Empty(aws.State.OidcProviderArns());
    }

    [Fact]
    public async Task Eks_describes_the_cluster_and_its_node_role_and_manages_pod_identity_associations()
    {
        await using var aws = await LocalAws.StartAsync();
        string issuer = aws.State.AddCluster("etl", Region, nodeRole: "etl-nodes");
        using var session = aws.Session(Region);
        var eks = session.Eks;

        var cluster = await eks.DescribeClusterAsync("etl", default);
        Assert.Equal(issuer, cluster!.OidcIssuer);
        Assert.Equal("ACTIVE", cluster.Status);
        Assert.Null(await eks.DescribeClusterAsync("nope", default));
        Assert.Equal(["ng-1"], await eks.ListNodegroupsAsync("etl", default));
        Assert.EndsWith("role/etl-nodes", (await eks.DescribeNodegroupAsync("etl", "ng-1", default))!.NodeRoleArn, StringComparison.Ordinal);

        string trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";
        var role = await session.Iam.CreateRoleAsync("etl-pod", trust, null, null, default);
        var association = await eks.CreatePodIdentityAssociationAsync("etl", "kube-system", "aws-load-balancer-controller", role.Arn, null, default);
        Assert.StartsWith("a-", association.AssociationId, StringComparison.Ordinal);
        var conflict = await Assert.ThrowsAsync<AwsServiceException>(() => eks.CreatePodIdentityAssociationAsync("etl", "kube-system", "aws-load-balancer-controller", role.Arn, null, default));
        Assert.Equal("ResourceInUseException", conflict.Code);
        Assert.True(conflict.IsConflict);
        var listed = await eks.ListPodIdentityAssociationsAsync("etl", "kube-system", "aws-load-balancer-controller", default);
        Assert.Equal(association.AssociationId, Assert.Single(listed).AssociationId);
        Assert.Empty(await eks.ListPodIdentityAssociationsAsync("etl", "argo", null, default));
        Assert.True(await eks.DeletePodIdentityAssociationAsync("etl", association.AssociationId, default));
        Assert.False(await eks.DeletePodIdentityAssociationAsync("etl", association.AssociationId, default));
    }

    [Fact]
    public async Task Elbv2_and_ec2_describe_by_tag_and_delete_and_a_wrong_secret_is_refused_by_signature()
    {
        await using var aws = await LocalAws.StartAsync();
        var tag = new Dictionary<string, string> { ["elbv2.k8s.aws/cluster"] = "etl" };
        aws.State.AddTagged("loadbalancer", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/k8s-argo-1/abc", "k8s-argo-1", tag);
        aws.State.AddTagged("securitygroup", "sg-0123", "k8s-traffic-etl", tag);
        aws.State.AddTagged("securitygroup", "sg-other", "someone-else", new Dictionary<string, string> { ["team"] = "x" });
        aws.State.AddTagged("networkinterface", "eni-0abc", "aws-K8S-i-0", new Dictionary<string, string> { ["cluster.k8s.amazonaws.com/name"] = "etl" }, status: "in-use");
        using var session = aws.Session(Region);

        var balancers = await session.Elb.DescribeLoadBalancersAsync(default);
        var tags = await session.Elb.DescribeTagsAsync([.. balancers.Select(b => b.Arn)], default);
        Assert.Equal("etl", tags[balancers.Single().Arn]["elbv2.k8s.aws/cluster"]);
        Assert.Equal(["sg-0123"], (await session.Ec2.DescribeSecurityGroupsAsync("tag:elbv2.k8s.aws/cluster", "etl", default)).Select(g => g.Id));
        var eni = Assert.Single(await session.Ec2.DescribeNetworkInterfacesAsync("tag-key", "cluster.k8s.amazonaws.com/name", default));
        Assert.Equal("in-use", eni.Status);
        var inUse = await Assert.ThrowsAsync<AwsServiceException>(() => session.Ec2.DeleteNetworkInterfaceAsync("eni-0abc", default));
        Assert.Equal("InvalidNetworkInterface.InUse", inUse.Code);
        await session.Ec2.DeleteSecurityGroupAsync("sg-0123", default);
        Assert.Equal(["sg-other"], aws.State.TaggedIds("securitygroup"));
        Assert.True((await Assert.ThrowsAsync<AwsServiceException>(() => session.Ec2.DeleteSecurityGroupAsync("sg-0123", default))).IsNotFound);

        using var wrong = aws.Session(Region, secret: "not-the-secret");
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => wrong.Eks.DescribeClusterAsync("etl", default));
        Assert.Equal("SignatureDoesNotMatch", refused.Code);
        Assert.Equal("AwsCredentialsRejected", refused.ToEtlException("x", null).Code);
    }

    [Fact]
    public async Task The_aws_cli_reads_what_the_iam_client_created()
    {
        await using var aws = await LocalAws.StartAsync();
        using var session = aws.Session(Region);
        await session.Iam.CreatePolicyAsync("cli-visible", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""", null, null, default);

        var start = new ProcessStartInfo("/usr/bin/aws", ["iam", "get-policy", "--policy-arn", $"arn:aws:iam::{AwsState.AccountId}:policy/cli-visible", "--endpoint-url", aws.Server.Endpoint.ToString(), "--output", "json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_ACCESS_KEY_ID"] = AwsState.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = AwsState.SecretAccessKey;
        start.Environment["AWS_REGION"] = Region;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var cli = Process.Start(start)!;
        string output = await cli.StandardOutput.ReadToEndAsync();
        string error = await cli.StandardError.ReadToEndAsync();
        await cli.WaitForExitAsync();
        Assert.True(cli.ExitCode == 0, error);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("cli-visible", doc.RootElement.GetProperty("Policy").GetProperty("PolicyName").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("Policy").GetProperty("AttachmentCount").GetInt32());
    }

    [Fact]
    public void One_region_rule_an_endpoint_url_signs_for_us_east_1_and_aws_itself_needs_a_region()
    {
        var saved = (Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"), Environment.GetEnvironmentVariable("AWS_PROFILE"));
        try
        {
            Environment.SetEnvironmentVariable("AWS_REGION", null);
            Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", null);
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
            Assert.Equal("us-east-1", new AwsConnection { EndpointUrl = new Uri("http://127.0.0.1:9000") }.ResolveRegion("s3"));
            Assert.Equal("eu-north-1", new AwsConnection { EndpointUrl = new Uri("http://127.0.0.1:9000"), Region = "eu-north-1" }.ResolveRegion());
            Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", "ap-south-1");
            Assert.Equal("ap-south-1", new AwsConnection().ResolveRegion("s3"));
            Assert.Equal("S3EndpointInvalid", Assert.Throws<EtlException>(() => AwsConnection.ParseEndpoint("notaurl", "--s3-endpoint")).Code);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_REGION", saved.Item1);
            Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", saved.Item2);
            Environment.SetEnvironmentVariable("AWS_PROFILE", saved.Item3);
        }
    }
}
