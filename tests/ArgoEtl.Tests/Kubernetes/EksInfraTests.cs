using System.Text.Json;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Tests.Aws;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>Install/Get/Uninstall of the Eks composition against the local AWS endpoint (EKS, IAM, STS) and the test API server.</summary>
public sealed class EksInfraTests : IDisposable
{
    private const string Region = "eu-west-1";
    private const string Cluster = "etl";
    private const string PolicyJson = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["elasticloadbalancing:Describe*","ec2:Describe*"],"Resource":"*"}]}""";
    private readonly string _source = Directory.CreateTempSubdirectory("argoetl-eks-manifests-").FullName;

    public EksInfraTests()
    {
        // The Argo releases from ../shared/argo, and a small rendered controller (what helm template would give).
        string shared = Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "argo");
        foreach (string folder in new[] { "events", "workflows" })
        {
            Directory.CreateSymbolicLink(Path.Combine(_source, folder), Path.Combine(shared, folder));
        }

        string controller = Directory.CreateDirectory(Path.Combine(_source, "aws-load-balancer-controller")).FullName;
        File.WriteAllText(Path.Combine(controller, "iam_policy.json"), PolicyJson);
        File.WriteAllText(Path.Combine(controller, "controller.yaml"), """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: aws-load-balancer-controller, namespace: kube-system}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: aws-load-balancer-controller, namespace: kube-system}
            spec:
              replicas: 1
              selector: {matchLabels: {app: lbc}}
              template:
                metadata: {labels: {app: lbc}}
                spec:
                  serviceAccountName: aws-load-balancer-controller
                  containers:
                  - name: controller
                    image: example.invalid/aws-load-balancer-controller:v2.13.3
                    args: [--cluster-name=your-cluster-name, --ingress-class=alb]
            """);
    }

    public void Dispose() => Directory.Delete(_source, recursive: true);

    private (InfraService Service, ApplyEngine Engine) Eks(LocalAws aws, KubeTestKit kit, bool podIdentity = false, string? bucket = "etl-artifacts", string? certificate = null)
    {
        var eks = new EksOptions { ClusterName = Cluster, PodIdentity = podIdentity, ArtifactBucket = bucket, InternetFacingCertificateArn = certificate };
        var context = new InfraContext(kit.Client, new InfraOptions { ManifestSource = _source }) { Aws = aws.Session(Region), Eks = eks };
        return (new InfraService(new InfraPlanner(context, InfraCompositions.Eks(eks))), new ApplyEngine(kit.Client) { PollInterval = TimeSpan.FromMilliseconds(50) });
    }

    private static async Task<KubeTestKit> ClusterAsync()
    {
        var kit = await KubeTestKit.StartAsync();
        kit.Store.CrdEstablishDelay = TimeSpan.FromMilliseconds(50);
        return kit;
    }

    [Fact]
    public async Task Installs_oidc_provider_policy_irsa_role_controller_and_argo_then_a_second_run_changes_nothing_and_uninstall_twice_leaves_only_what_was_there()
    {
        await using var aws = await LocalAws.StartAsync();
        string issuer = aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (service, engine) = Eks(aws, kit);

        // Planning (what -WhatIf shows) makes no mutating call.
        var plan = await service.Planner.PlanInstallAsync(default);
        await engine.PlanAsync(plan.Objects, default);
        Assert.Equal(0, aws.State.MutatingCalls);
        Assert.Equal(["IamOidcProvider", "IamPolicy", "IamRole", "IamRolePolicyAttachment", "IamRole", "IamRolePolicy"], plan.Before.Select(s => s.Kind));

        var first = await service.InstallAsync(plan, engine, null, default);
        Assert.Contains(first, r => r is { Kind: "IamOidcProvider", Action: "created" });
        string host = issuer["https://".Length..];
        var trust = JsonDocument.Parse(aws.State.RoleTrustPolicy("etl-aws-load-balancer-controller")!).RootElement.GetProperty("Statement")[0];
        Assert.Equal("sts:AssumeRoleWithWebIdentity", trust.GetProperty("Action").GetString());
        Assert.Equal("system:serviceaccount:kube-system:aws-load-balancer-controller", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty(host + ":sub").GetString());
        Assert.Equal("sts.amazonaws.com", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty(host + ":aud").GetString());
        Assert.Equal([$"arn:aws:iam::{AwsState.AccountId}:policy/AWSLoadBalancerControllerIAMPolicy"], aws.State.AttachedPolicies("etl-aws-load-balancer-controller"));

        var sa = kit.Store.Get(kit.Store.Find("", "v1", "serviceaccounts")!, "kube-system", "aws-load-balancer-controller");
        Assert.Equal($"arn:aws:iam::{AwsState.AccountId}:role/etl-aws-load-balancer-controller", sa.Body["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]!.GetValue<string>());
        var deployment = kit.Store.Get(kit.Store.Find("apps", "v1", "deployments")!, "kube-system", "aws-load-balancer-controller");
        Assert.Contains("--cluster-name=etl", deployment.Body["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.ToJsonString(), StringComparison.Ordinal);
        var ingress = kit.Store.Get(kit.Store.Find("networking.k8s.io", "v1", "ingresses")!, "argo", "argo-server");
        Assert.Equal(200, ingress.Status);
        Assert.Equal("internal", ingress.Body["metadata"]!["annotations"]!["alb.ingress.kubernetes.io/scheme"]!.GetValue<string>());
        Assert.Null(ingress.Body["metadata"]!["annotations"]!["alb.ingress.kubernetes.io/certificate-arn"]);
        Assert.Contains("bucket: etl-artifacts", kit.Store.Get(kit.Store.Find("", "v1", "configmaps")!, "argo-events", "artifact-repositories").Body.ToJsonString(), StringComparison.Ordinal);

        // Twice = no change: no AWS step planned, no mutating call, every object unchanged.
        int mutating = aws.State.MutatingCalls;
        var second = await service.InstallAsync(await service.Planner.PlanInstallAsync(default), engine, null, default);
        Assert.Equal(mutating, aws.State.MutatingCalls);
        Assert.All(second, r => Assert.StartsWith("unchanged", r.Action, StringComparison.Ordinal));

        var status = await service.StatusAsync(default);
        Assert.Equal("Healthy", status.Single(s => s.Component == "OidcProvider").Status);
        Assert.Equal("Healthy", status.Single(s => s.Component == "LoadBalancerControllerRole").Status);

        // Uninstall: AWS steps for what Install made, then the labelled objects; a second uninstall has nothing to do.
        var removal = await service.Planner.PlanRemovalAsync(default);
        await InfraStep.RunAsync(removal, null, default);
        await engine.DeleteAsync(await InfraService.OwnedAsync(engine, default), null, default);
        Assert.Empty(aws.State.OidcProviderArns());
        Assert.Empty(aws.State.PolicyArns());
        Assert.Equal(["eks-node-role"], aws.State.RoleNames());
        Assert.Equal(200, kit.Store.Get(kit.Store.Find("", "v1", "namespaces")!, null, "kube-system").Status);
        mutating = aws.State.MutatingCalls;
        Assert.Empty(await service.Planner.PlanRemovalAsync(default));
        Assert.Empty(await InfraService.OwnedAsync(engine, default));
        Assert.Equal(mutating, aws.State.MutatingCalls);
        Assert.Equal("Missing", (await service.StatusAsync(default)).Single(s => s.Component == "OidcProvider").Status);
    }

    [Fact]
    public async Task Uninstall_keeps_its_oidc_provider_while_a_role_it_did_not_make_trusts_it_and_removes_its_own_roles()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (service, engine) = Eks(aws, kit);
        await service.InstallAsync(await service.Planner.PlanInstallAsync(default), engine, null, default);
        string provider = Assert.Single(aws.State.OidcProviderArns());

        // An IRSA role added to the cluster later, by someone else (the EBS CSI driver's, say), trusts the same provider.
        aws.State.AddRole("ebs-csi-driver", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"{{provider}}"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""");
        var removal = await service.Planner.PlanRemovalAsync(default);
        Assert.DoesNotContain(removal, s => s.Kind == "IamOidcProvider");
        await InfraStep.RunAsync(removal, null, default);

        Assert.Equal([provider], aws.State.OidcProviderArns());
        Assert.Equal(["ebs-csi-driver", "eks-node-role"], aws.State.RoleNames());
    }

    [Fact]
    public async Task Argo_server_is_internet_facing_only_with_a_certificate_and_then_on_https_443_only()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        const string certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
        var (service, _) = Eks(aws, kit, bucket: null, certificate: certificate);

        var plan = await service.Planner.PlanInstallAsync(default);
        var annotations = plan.Objects.Single(o => o.Object["kind"]!.GetValue<string>() == "Ingress").Object["metadata"]!["annotations"]!;
        Assert.Equal("internet-facing", annotations["alb.ingress.kubernetes.io/scheme"]!.GetValue<string>());
        Assert.Equal("""[{"HTTPS": 443}]""", annotations["alb.ingress.kubernetes.io/listen-ports"]!.GetValue<string>());
        Assert.Equal(certificate, annotations["alb.ingress.kubernetes.io/certificate-arn"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_controller_role_that_argoetl_did_not_create_keeps_its_trust_and_install_refuses_with_aws_conflict()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        aws.State.AddRole("etl-aws-load-balancer-controller"); // someone else's, trusting EC2
        string before = aws.State.RoleTrustPolicy("etl-aws-load-balancer-controller")!;
        await using var kit = await ClusterAsync();
        var (service, _) = Eks(aws, kit, bucket: null);

        var error = await Assert.ThrowsAsync<EtlException>(() => service.Planner.PlanInstallAsync(default));
        Assert.Equal("AwsConflict", error.Code);
        Assert.Contains("etl-aws-load-balancer-controller", error.Message, StringComparison.Ordinal);
        Assert.Contains("argoetl.io/cluster=etl", error.Suggestion, StringComparison.Ordinal);
        Assert.Equal(before, aws.State.RoleTrustPolicy("etl-aws-load-balancer-controller"));
        Assert.Equal(0, aws.State.MutatingCalls);
    }

    [Theory]
    [InlineData("GetOpenIDConnectProvider")]
    [InlineData("GetPolicy")]
    [InlineData("GetRole")]
    public async Task Access_denied_while_reading_status_is_the_coded_error_naming_what_was_read(string action)
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (service, _) = Eks(aws, kit, bucket: null);

        aws.State.FailNext(action, 403, "AccessDenied", $"User is not authorized to perform: iam:{action}");
        var error = await Assert.ThrowsAsync<EtlException>(() => service.StatusAsync(default));
        Assert.Equal("AwsAccessDenied", error.Code);
        Assert.StartsWith("Reading ", error.Message, StringComparison.Ordinal); // what ArgoEtl was doing, then AWS's words
        Assert.Contains(action, error.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_artifact_bucket_replaces_the_roles_inline_policy_and_the_repository_uses_the_sessions_s3_endpoint()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (first, engine) = Eks(aws, kit, bucket: "etl-artifacts");
        await first.InstallAsync(await first.Planner.PlanInstallAsync(default), engine, null, default);
        Assert.Contains("arn:aws:s3:::etl-artifacts/*", aws.State.RolePolicies("etl-argoetl-artifacts")["argoetl-artifacts"], StringComparison.Ordinal);
        string repository = kit.Store.Get(kit.Store.Find("", "v1", "configmaps")!, "argo-events", "artifact-repositories").Body["data"]!["default-v1"]!.GetValue<string>();
        Assert.Contains($"endpoint: {aws.Server.Endpoint.Authority}\n  insecure: true\n", repository, StringComparison.Ordinal);
        Assert.DoesNotContain("s3.amazonaws.com", repository, StringComparison.Ordinal);

        var (second, _) = Eks(aws, kit, bucket: "other-artifacts");
        var plan = await second.Planner.PlanInstallAsync(default);
        var put = Assert.Single(plan.After.Concat(plan.Before), s => s.Kind == "IamRolePolicy");
        Assert.Contains("other-artifacts", put.Action, StringComparison.Ordinal);
        await second.InstallAsync(plan, engine, null, default);
        string policy = aws.State.RolePolicies("etl-argoetl-artifacts")["argoetl-artifacts"];
        Assert.Contains("arn:aws:s3:::other-artifacts/*", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("etl-artifacts", policy, StringComparison.Ordinal);

        // The same bucket again: nothing to put.
        var (third, _) = Eks(aws, kit, bucket: "other-artifacts");
        var again = await third.Planner.PlanInstallAsync(default);
        Assert.DoesNotContain(again.Before.Concat(again.After), s => s.Kind == "IamRolePolicy");
    }

    [Fact]
    public async Task A_failure_in_step_3_rolls_back_only_what_this_run_created()
    {
        await using var aws = await LocalAws.StartAsync();
        string issuer = aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (service, engine) = Eks(aws, kit, bucket: null);

        // The OIDC provider existed before (eksctl made it): this run makes the policy and the role, then fails attaching.
        using (var seed = aws.Session(Region))
        {
            await seed.Iam.CreateOpenIdConnectProviderAsync(issuer, ["sts.amazonaws.com"], null, null, default);
        }

        aws.State.FailNext("AttachRolePolicy", 400, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10");
        var plan = await service.Planner.PlanInstallAsync(default);
        Assert.DoesNotContain(plan.Before, s => s.Kind == "IamOidcProvider");
        var error = await Assert.ThrowsAsync<EtlException>(() => service.InstallAsync(plan, engine, null, default));
        Assert.Contains("LimitExceeded", error.Message, StringComparison.Ordinal);

        Assert.Single(aws.State.OidcProviderArns());
        Assert.Empty(aws.State.PolicyArns());
        Assert.Equal(["eks-node-role"], aws.State.RoleNames());
        Assert.Empty(await InfraService.OwnedAsync(engine, default));
    }

    [Fact]
    public async Task An_undo_that_fails_is_reported_the_other_undos_still_run_and_the_original_error_is_rethrown()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (service, _) = Eks(aws, kit, bucket: null);

        // This run creates the OIDC provider, the policy and the role, then fails attaching; deleting the role fails too.
        aws.State.FailNext("AttachRolePolicy", 400, "LimitExceeded", "Cannot exceed quota for PoliciesPerRole: 10");
        aws.State.FailNext("DeleteRole", 409, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.");
        var plan = await service.Planner.PlanInstallAsync(default);
        var reported = new Reports();
        var error = await Assert.ThrowsAsync<EtlException>(() => InfraStep.RunAsync(plan.Before, reported, default));

        Assert.Contains("LimitExceeded", error.Message, StringComparison.Ordinal);
        Assert.Contains("etl-aws-load-balancer-controller", (string)error.Data[InfraStep.UndoFailuresKey]!, StringComparison.Ordinal);
        var undoFailed = Assert.Single(reported.Items, r => r.Action.StartsWith("undo failed", StringComparison.Ordinal));
        Assert.Equal(("IamRole", "etl-aws-load-balancer-controller"), (undoFailed.Kind, undoFailed.Name));
        Assert.Contains("DeleteConflict", undoFailed.Action, StringComparison.Ordinal);

        // The undos before and after the failed one ran: the policy and the provider are gone, the role is left.
        Assert.Empty(aws.State.PolicyArns());
        Assert.Empty(aws.State.OidcProviderArns());
        Assert.Contains("etl-aws-load-balancer-controller", aws.State.RoleNames());
    }

    private sealed class Reports : IProgress<AppliedObject>
    {
        public List<AppliedObject> Items { get; } = [];

        public void Report(AppliedObject value) => Items.Add(value);
    }

    [Fact]
    public async Task Pod_identity_and_a_policy_still_attached_elsewhere_which_uninstall_never_deletes()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.AddCluster(Cluster, Region);
        await using var kit = await ClusterAsync();
        var (service, engine) = Eks(aws, kit, podIdentity: true, bucket: null);

        await service.InstallAsync(await service.Planner.PlanInstallAsync(default), engine, null, default);
        var association = Assert.Single(aws.State.PodIdentityAssociations(Region, Cluster));
        Assert.Equal(("kube-system", "aws-load-balancer-controller"), (association.Namespace, association.ServiceAccount));
        Assert.Contains("pods.eks.amazonaws.com", aws.State.RoleTrustPolicy("etl-aws-load-balancer-controller"), StringComparison.Ordinal);
        Assert.Empty((await service.Planner.PlanInstallAsync(default)).Before);

        // Another cluster's controller role uses the account-wide policy too.
        string policyArn = $"arn:aws:iam::{AwsState.AccountId}:policy/AWSLoadBalancerControllerIAMPolicy";
        aws.State.AddRole("other-cluster-lbc");
        using (var other = aws.Session(Region))
        {
            await other.Iam.AttachRolePolicyAsync("other-cluster-lbc", policyArn, default);
        }

        var removal = await service.Planner.PlanRemovalAsync(default);
        Assert.Contains(removal, s => s.Kind == "IamPolicy" && s.Action.StartsWith("Keep", StringComparison.Ordinal));
        var results = await InfraStep.RunAsync(removal, null, default);
        Assert.Contains(results, r => r is { Kind: "EksPodIdentityAssociation", Action: "deleted" });
        Assert.Equal([policyArn], aws.State.PolicyArns());
        Assert.Equal([policyArn], aws.State.AttachedPolicies("other-cluster-lbc"));
        Assert.DoesNotContain("etl-aws-load-balancer-controller", aws.State.RoleNames());
        Assert.Empty(aws.State.PodIdentityAssociations(Region, Cluster));
    }
}

/// <summary>The leftover report: what is tagged for the cluster, read-only; removal one by one.</summary>
public sealed class EksLeftoverTests
{
    [Fact]
    public async Task Finds_only_what_is_tagged_for_the_cluster_in_removal_order_and_removes_one_at_a_time()
    {
        await using var aws = await LocalAws.StartAsync();
        var elb = new Dictionary<string, string> { ["elbv2.k8s.aws/cluster"] = "etl" };
        aws.State.AddTagged("networkinterface", "eni-1", "aws-K8S-i-1", new Dictionary<string, string> { ["cluster.k8s.amazonaws.com/name"] = "etl" });
        aws.State.AddTagged("securitygroup", "sg-1", "k8s-traffic-etl", elb);
        aws.State.AddTagged("securitygroup", "sg-2", "eks-cluster-sg-etl", new Dictionary<string, string> { ["kubernetes.io/cluster/etl"] = "owned" });
        aws.State.AddTagged("targetgroup", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/k8s-argo/1", "k8s-argo", elb);
        aws.State.AddTagged("loadbalancer", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/k8s-argo/1", "k8s-argo", elb);
        aws.State.AddTagged("loadbalancer", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/other/2", "other", new Dictionary<string, string> { ["elbv2.k8s.aws/cluster"] = "prod" });
        using var session = aws.Session("eu-west-1");
        var leftovers = new Core.Infra.Eks.EksLeftovers(session);

        var found = await leftovers.FindAsync("etl", default);
        Assert.Equal(["LoadBalancer", "TargetGroup", "SecurityGroup", "SecurityGroup", "NetworkInterface"], found.Select(f => f.Kind));
        Assert.All(found, f => Assert.Equal("eu-west-1", f.Region));
        Assert.Equal(0, aws.State.MutatingCalls);

        Assert.Equal(Core.Infra.Eks.EksLeftoverRemoval.Removed, await leftovers.RemoveAsync(found[0], default));
        Assert.Equal(["arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/other/2"], aws.State.TaggedIds("loadbalancer"));
        Assert.Equal(Core.Infra.Eks.EksLeftoverRemoval.Removed, await leftovers.RemoveAsync(found[2], default));
        Assert.Equal(Core.Infra.Eks.EksLeftoverRemoval.AlreadyGone, await leftovers.RemoveAsync(found[2], default)); // EC2 answers InvalidGroup.NotFound
        Assert.Equal(3, (await leftovers.FindAsync("etl", default)).Count);
    }

    [Fact]
    public async Task Refuses_while_the_cluster_still_exists_and_skips_network_interfaces_in_use()
    {
        await using var aws = await LocalAws.StartAsync();
        var tag = new Dictionary<string, string> { ["cluster.k8s.amazonaws.com/name"] = "etl" };
        aws.State.AddTagged("networkinterface", "eni-busy", "aws-K8S-i-1", tag, status: "in-use");
        aws.State.AddTagged("networkinterface", "eni-free", "aws-K8S-i-2", tag);
        aws.State.AddCluster("etl", "eu-west-1");
        using var session = aws.Session("eu-west-1");
        var leftovers = new Core.Infra.Eks.EksLeftovers(session);

        var error = await Assert.ThrowsAsync<EtlException>(() => leftovers.FindAsync("etl", default));
        Assert.Equal("EksClusterStillExists", error.Code);
        Assert.Contains("eu-west-1", error.Message, StringComparison.Ordinal);

        // No cluster of that name in another region: the report is made there, each leftover carrying that region.
        using var elsewhere = aws.Session("us-east-1");
        Assert.All(await new Core.Infra.Eks.EksLeftovers(elsewhere).FindAsync("etl", default), f => Assert.Equal("us-east-1", f.Region));

        var busy = new Core.Infra.Eks.EksLeftover { ClusterName = "etl", Region = "eu-west-1", Kind = "NetworkInterface", Id = "eni-busy", Name = "aws-K8S-i-1", Tag = "cluster.k8s.amazonaws.com/name", Status = "available" };
        Assert.Equal("EksClusterStillExists", (await Assert.ThrowsAsync<EtlException>(() => leftovers.RemoveAsync(busy, default))).Code);
        Assert.Equal(0, aws.State.MutatingCalls);

        aws.State.RemoveCluster("etl", "eu-west-1"); // eksctl delete cluster

        var found = await leftovers.FindAsync("etl", default);
        Assert.Equal("in-use", found.Single(f => f.Id == "eni-busy").Status);
        // Reported available but in use by now: EC2's InvalidNetworkInterface.InUse is a skip, not an error.
        Assert.Equal(Core.Infra.Eks.EksLeftoverRemoval.InUse, await leftovers.RemoveAsync(busy, default));
        Assert.Equal(Core.Infra.Eks.EksLeftoverRemoval.InUse, await leftovers.RemoveAsync(found.Single(f => f.Id == "eni-busy"), default));
        Assert.Equal(Core.Infra.Eks.EksLeftoverRemoval.Removed, await leftovers.RemoveAsync(found.Single(f => f.Id == "eni-free"), default));
        Assert.Equal(["eni-busy"], aws.State.TaggedIds("networkinterface"));
    }
}
