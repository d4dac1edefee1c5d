using System.Text.Json.Nodes;
using ArgoEtl.Core.Infra.Components;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// Step 3: the controller's role with the policy attached, and its ServiceAccount kube-system/aws-load-balancer-controller.
/// IRSA: the role trusts the cluster's OIDC provider for that ServiceAccount only, and the ServiceAccount carries
/// eks.amazonaws.com/role-arn. -PodIdentity: the role trusts pods.eks.amazonaws.com, and a Pod Identity association
/// binds it to the ServiceAccount.
/// </summary>
public sealed class LoadBalancerControllerIdentityComponent : InfraComponent
{
    public override string Name => "LoadBalancerControllerRole";

    public override async Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.RequireEks();
        await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string roleArn = context.RequireAws().Iam.RoleArn(context.Account!, eks.ControllerRoleName);
        var annotations = eks.PodIdentity ? null : new JsonObject { ["eks.amazonaws.com/role-arn"] = roleArn };
        return [new(KubeObjects.Obj("v1", "ServiceAccount", EksOptions.ControllerServiceAccount, EksOptions.ControllerNamespace, annotations: annotations), Name)];
    }

    public override async Task<IReadOnlyList<InfraStep>> PlanInstallAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        string issuer = await EksFacts.IssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string role = eks.ControllerRoleName;
        string roleArn = aws.Iam.RoleArn(context.Account!, role);
        string policyArn = aws.Iam.PolicyArn(context.Account!, eks.ControllerPolicyName);
        string trust = eks.PodIdentity ? ServiceAccountRoles.PodIdentityTrust()
            : ServiceAccountRoles.IrsaTrust(aws.Iam.OidcProviderArn(context.Account!, issuer), issuer, EksOptions.ControllerNamespace, EksOptions.ControllerServiceAccount);

        var steps = new List<InfraStep>();
        var existing = await EksFacts.Guard($"Reading IAM role {role}", role, ct => aws.Iam.GetRoleAsync(role, ct), cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            steps.Add(new InfraStep(Name, "IamRole", role, $"IAM CreateRole ({(eks.PodIdentity ? "trusts pods.eks.amazonaws.com" : $"trusts {EksOptions.ControllerNamespace}:{EksOptions.ControllerServiceAccount} via the cluster's OIDC provider")})",
                async ct =>
                {
                    await EksFacts.Guard($"Creating IAM role {role}", role, c => aws.Iam.CreateRoleAsync(role, trust, $"AWS Load Balancer Controller of EKS cluster {eks.ClusterName} (ArgoEtl)", eks.Tags, c), ct).ConfigureAwait(false);
                    return "created";
                },
                ct => aws.Iam.DeleteRoleAsync(role, ct)));
        }
        else if (!EksFacts.SameJson(existing.TrustPolicy, trust))
        {
            // Rewriting the trust of someone else's role would lock out whatever assumes it now.
            if (!eks.Owns(existing.Tags))
            {
                throw new EtlException(EtlErrors.AwsConflict, EtlErrorKind.Conflict,
                    $"IAM role {role} exists, was not created by ArgoEtl for cluster {eks.ClusterName} (it lacks the tags app.kubernetes.io/managed-by=argoetl and argoetl.io/cluster={eks.ClusterName}), and trusts something other than this install needs; ArgoEtl does not rewrite its trust policy.",
                    $"Delete or rename that role if nothing uses it (aws iam delete-role --role-name {role}), or update its trust yourself and tag it app.kubernetes.io/managed-by=argoetl, argoetl.io/cluster={eks.ClusterName} to let Install-EtlInfra manage it; then run again.",
                    role);
            }

            string? old = existing.TrustPolicy;
            steps.Add(new InfraStep(Name, "IamRole", role, "IAM UpdateAssumeRolePolicy (the trust differs from what this install needs)",
                async ct =>
                {
                    await EksFacts.Guard($"Updating the trust of IAM role {role}", role, c => aws.Iam.UpdateAssumeRolePolicyAsync(role, trust, c), ct).ConfigureAwait(false);
                    return "updated";
                },
                old is null ? null : ct => aws.Iam.UpdateAssumeRolePolicyAsync(role, old, ct)));
        }

        var attached = existing is null ? [] : await EksFacts.Guard($"Listing policies of IAM role {role}", role, ct => aws.Iam.ListAttachedRolePoliciesAsync(role, ct), cancellationToken).ConfigureAwait(false);
        if (!attached.Contains(policyArn))
        {
            steps.Add(new InfraStep(Name, "IamRolePolicyAttachment", $"{role}/{eks.ControllerPolicyName}", $"IAM AttachRolePolicy {policyArn}",
                async ct =>
                {
                    await EksFacts.Guard($"Attaching {eks.ControllerPolicyName} to {role}", role, c => aws.Iam.AttachRolePolicyAsync(role, policyArn, c), ct).ConfigureAwait(false);
                    return "attached";
                },
                ct => aws.Iam.DetachRolePolicyAsync(role, policyArn, ct)));
        }

        if (eks.PodIdentity)
        {
            var associations = await EksFacts.Guard("Listing pod identity associations", eks.ClusterName,
                ct => aws.Eks.ListPodIdentityAssociationsAsync(eks.ClusterName, EksOptions.ControllerNamespace, EksOptions.ControllerServiceAccount, ct), cancellationToken).ConfigureAwait(false);
            if (associations.Count == 0)
            {
                string? createdId = null;
                steps.Add(new InfraStep(Name, "EksPodIdentityAssociation", $"{EksOptions.ControllerNamespace}/{EksOptions.ControllerServiceAccount}", $"EKS CreatePodIdentityAssociation -> {roleArn}",
                    async ct =>
                    {
                        var created = await EksFacts.Guard("Creating the pod identity association", eks.ClusterName,
                            c => aws.Eks.CreatePodIdentityAssociationAsync(eks.ClusterName, EksOptions.ControllerNamespace, EksOptions.ControllerServiceAccount, roleArn, eks.Tags, c), ct).ConfigureAwait(false);
                        createdId = created.AssociationId;
                        return "created";
                    },
                    async ct =>
                    {
                        if (createdId is not null)
                        {
                            await aws.Eks.DeletePodIdentityAssociationAsync(eks.ClusterName, createdId, ct).ConfigureAwait(false);
                        }
                    }));
            }
        }

        return steps;
    }

    public override async Task<IReadOnlyList<InfraStep>> PlanRemovalAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        if (await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false) is null)
        {
            return [];
        }

        string role = eks.ControllerRoleName;
        string roleArn = aws.Iam.RoleArn(context.Account!, role);
        var existing = await EksFacts.Guard($"Reading IAM role {role}", role, ct => aws.Iam.GetRoleAsync(role, ct), cancellationToken).ConfigureAwait(false);
        var steps = new List<InfraStep>();
        var associations = await EksFacts.Guard("Listing pod identity associations", eks.ClusterName,
            ct => aws.Eks.ListPodIdentityAssociationsAsync(eks.ClusterName, EksOptions.ControllerNamespace, EksOptions.ControllerServiceAccount, ct), cancellationToken).ConfigureAwait(false);
        if (existing is null || !eks.Owns(existing.Tags))
        {
            return steps;
        }

        foreach (var association in associations)
        {
            steps.Add(new InfraStep(Name, "EksPodIdentityAssociation", association.AssociationId, "EKS DeletePodIdentityAssociation", async ct =>
            {
                await EksFacts.Guard("Deleting the pod identity association", association.AssociationId, c => aws.Eks.DeletePodIdentityAssociationAsync(eks.ClusterName, association.AssociationId, c), ct).ConfigureAwait(false);
                return "deleted";
            }));
        }

        foreach (string policyArn in await EksFacts.Guard($"Listing policies of IAM role {role}", role, ct => aws.Iam.ListAttachedRolePoliciesAsync(role, ct), cancellationToken).ConfigureAwait(false))
        {
            steps.Add(new InfraStep(Name, "IamRolePolicyAttachment", $"{role}/{policyArn[(policyArn.LastIndexOf('/') + 1)..]}", "IAM DetachRolePolicy", async ct =>
            {
                await EksFacts.Guard($"Detaching {policyArn} from {role}", role, c => aws.Iam.DetachRolePolicyAsync(role, policyArn, c), ct).ConfigureAwait(false);
                return "detached";
            }));
        }

        steps.Add(new InfraStep(Name, "IamRole", role, "IAM DeleteRole", async ct =>
        {
            await EksFacts.Guard($"Deleting IAM role {role}", roleArn, c => aws.Iam.DeleteRoleAsync(role, c), ct).ConfigureAwait(false);
            return "deleted";
        }));
        return steps;
    }

    public override async Task<IReadOnlyList<string>?> ExternalProblemsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string role = eks.ControllerRoleName;
        if (await EksFacts.Guard($"Reading IAM role {role}", role, ct => aws.Iam.GetRoleAsync(role, ct), cancellationToken).ConfigureAwait(false) is null)
        {
            return [$"IamRole/{role} missing"];
        }

        var problems = new List<string>();
        if (!(await EksFacts.Guard($"Listing policies of IAM role {role}", role, ct => aws.Iam.ListAttachedRolePoliciesAsync(role, ct), cancellationToken).ConfigureAwait(false)).Contains(aws.Iam.PolicyArn(context.Account!, eks.ControllerPolicyName)))
        {
            problems.Add($"IamRole/{role} lacks {eks.ControllerPolicyName}");
        }

        if (eks.PodIdentity && (await EksFacts.Guard("Listing pod identity associations", eks.ClusterName,
            ct => aws.Eks.ListPodIdentityAssociationsAsync(eks.ClusterName, EksOptions.ControllerNamespace, EksOptions.ControllerServiceAccount, ct), cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            problems.Add($"EksPodIdentityAssociation/{EksOptions.ControllerNamespace}/{EksOptions.ControllerServiceAccount} missing");
        }

        return problems;
    }
}
