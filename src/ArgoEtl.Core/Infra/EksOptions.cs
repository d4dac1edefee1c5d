namespace ArgoEtl.Core.Infra;

/// <summary>What Install-EtlInfra -Profile Eks sets up on an existing cluster, with the pinned controller release.</summary>
public sealed record EksOptions
{
    /// <summary>The EKS cluster (it is never created or deleted here).</summary>
    public required string ClusterName { get; init; }

    /// <summary>EKS Pod Identity for the controller instead of IRSA (an OIDC provider is still created for other IRSA roles).</summary>
    public bool PodIdentity { get; init; }

    /// <summary>The artifact repository's S3 bucket (it must exist); null keeps Workflows without a default artifact repository.</summary>
    public string? ArtifactBucket { get; init; }

    /// <summary>
    /// Null (the default): argo-server's ALB is internal, reachable only from the VPC and what is peered or connected to
    /// it, so its bearer tokens never cross the internet. An ACM certificate ARN: the ALB is internet-facing and listens
    /// on HTTPS 443 only with that certificate (never plain HTTP, which would send the tokens in clear).
    /// </summary>
    public string? InternetFacingCertificateArn { get; init; }

    /// <summary>The AWS Load Balancer Controller release whose iam_policy.json and manifests are used (tested with this version).</summary>
    public string ControllerVersion { get; init; } = "v2.13.3";

    /// <summary>The eks-charts chart version of that release (helm installs use it).</summary>
    public string ControllerChartVersion { get; init; } = "1.13.3";

    /// <summary>Upstream's name for the controller's policy: one per account, shared by every cluster.</summary>
    public string ControllerPolicyName { get; init; } = "AWSLoadBalancerControllerIAMPolicy";

    public const string ControllerNamespace = "kube-system";

    public const string ControllerServiceAccount = "aws-load-balancer-controller";

    /// <summary>The controller's role, per cluster (IAM role names are at most 64 characters).</summary>
    public string ControllerRoleName => Truncate($"{ClusterName}-aws-load-balancer-controller");

    /// <summary>The workflow executor's role for the S3 artifact repository.</summary>
    public string ArtifactRoleName => Truncate($"{ClusterName}-argoetl-artifacts");

    /// <summary>The ServiceAccount Workflows run as to reach the artifact bucket.</summary>
    public const string ArtifactServiceAccount = "argoetl-workflow";

    /// <summary>Tags on everything Install creates in AWS: uninstall removes only what carries them.</summary>
    public IReadOnlyDictionary<string, string> Tags => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/managed-by"] = "argoetl",
        ["argoetl.io/cluster"] = ClusterName,
    };

    public Uri IamPolicyUrl => new($"https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/{ControllerVersion}/docs/install/iam_policy.json");

    public Uri ControllerManifestUrl => new($"https://github.com/kubernetes-sigs/aws-load-balancer-controller/releases/download/{ControllerVersion}/{ControllerVersion.Replace('.', '_')}_full.yaml");

    /// <summary>True when <paramref name="tags"/> say Install created the thing for this cluster.</summary>
    public bool Owns(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return tags.TryGetValue("app.kubernetes.io/managed-by", out var by) && by == "argoetl" && tags.TryGetValue("argoetl.io/cluster", out var c) && c == ClusterName;
    }

    private static string Truncate(string name) => name.Length <= 64 ? name : name[..64];
}
