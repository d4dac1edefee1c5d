namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// Step 2: the AWS Load Balancer Controller's managed policy, from the pinned release's docs/install/iam_policy.json
/// (the release URL, or aws-load-balancer-controller/iam_policy.json under -ManifestSource), created once per account.
/// Uninstall deletes it only when ArgoEtl created it and nothing else is attached to it any more.
/// </summary>
public sealed class LoadBalancerControllerPolicyComponent : InfraComponent
{
    public override string Name => "LoadBalancerControllerPolicy";

    public override async Task<IReadOnlyList<InfraStep>> PlanInstallAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        await EksFacts.IssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string arn = aws.Iam.PolicyArn(context.Account!, eks.ControllerPolicyName);
        if (await EksFacts.Guard("Reading the controller policy", arn, ct => aws.Iam.GetPolicyAsync(arn, ct), cancellationToken).ConfigureAwait(false) is not null)
        {
            return [];
        }

        string document = await Components.UpstreamManifests.LoadTextAsync(context.Options, "aws-load-balancer-controller", "iam_policy.json", eks.IamPolicyUrl, cancellationToken).ConfigureAwait(false);
        return [new InfraStep(Name, "IamPolicy", arn, $"IAM CreatePolicy {eks.ControllerPolicyName} (iam_policy.json of {eks.ControllerVersion})",
            async ct =>
            {
                await EksFacts.Guard("Creating the controller policy", arn, c => aws.Iam.CreatePolicyAsync(eks.ControllerPolicyName, document,
                    $"AWS Load Balancer Controller {eks.ControllerVersion} (ArgoEtl)", eks.Tags, c), ct).ConfigureAwait(false);
                return "created";
            },
            ct => aws.Iam.DeletePolicyAsync(arn, ct))];
    }

    public override async Task<IReadOnlyList<InfraStep>> PlanRemovalAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        var eks = context.RequireEks();
        await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string arn = aws.Iam.PolicyArn(context.Account!, eks.ControllerPolicyName);
        var policy = await EksFacts.Guard("Reading the controller policy", arn, ct => aws.Iam.GetPolicyAsync(arn, ct), cancellationToken).ConfigureAwait(false);
        if (policy is null || !eks.Owns(policy.Tags))
        {
            return [];
        }

        // Account-wide: other clusters' controller roles may use it. Our own role is detached before this runs
        // (components are removed in reverse order), so anything still attached belongs to someone else.
        var entities = await EksFacts.Guard("Listing what the controller policy is attached to", arn, ct => aws.Iam.ListEntitiesForPolicyAsync(arn, ct), cancellationToken).ConfigureAwait(false);
        var others = entities.Roles.Where(r => r != eks.ControllerRoleName).Concat(entities.Users).Concat(entities.Groups).ToList();
        if (others.Count > 0)
        {
            return [new InfraStep(Name, "IamPolicy", arn, $"Keep (still attached to {string.Join(", ", others)})", _ => Task.FromResult("kept (attached elsewhere)"))];
        }

        return [new InfraStep(Name, "IamPolicy", arn, "IAM DeletePolicy (after checking its attachments again)", async ct =>
        {
            // Checked again at run time: a role may have been attached since the plan was shown.
            var now = await EksFacts.Guard("Listing what the controller policy is attached to", arn, c => aws.Iam.ListEntitiesForPolicyAsync(arn, c), ct).ConfigureAwait(false);
            if (now.Count > 0)
            {
                return "kept (attached elsewhere)";
            }

            await EksFacts.Guard("Deleting the controller policy", arn, c => aws.Iam.DeletePolicyAsync(arn, c), ct).ConfigureAwait(false);
            return "deleted";
        })];
    }

    public override async Task<IReadOnlyList<string>?> ExternalProblemsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var aws = context.RequireAws();
        await EksFacts.TryIssuerAsync(context, cancellationToken).ConfigureAwait(false);
        string arn = aws.Iam.PolicyArn(context.Account!, context.RequireEks().ControllerPolicyName);
        return await EksFacts.Guard("Reading the controller policy", arn, ct => aws.Iam.GetPolicyAsync(arn, ct), cancellationToken).ConfigureAwait(false) is null ? [$"IamPolicy/{arn} missing"] : [];
    }
}
