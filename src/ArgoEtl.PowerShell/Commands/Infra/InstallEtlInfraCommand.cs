using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Installs what Argo ETL pipelines need on a local cluster (Argo Events with a JetStream EventBus, the Sensors' service account, Argo Workflows with a UI token, an S3-compatible object store as the artifact repository) or on Amazon EKS (-Profile Eks).</para>
/// <para type="description">Replaces the typical 'setup' Skaffold project. Applies, with server-side apply (field manager 'argoetl') in dependency order:
/// the namespaces; Argo Events (pinned release) and an EventBus using JetStream; the operate-workflow-sa ServiceAccount with the Role Sensors need to
/// create Workflows; Argo Workflows (pinned release; its CRDs need server-side apply); a service-account token Secret for the UI (see
/// Get-EtlWorkflowToken); and an object store (the image is a parameter) whose root password is generated once and stored only in the Secret 'minio',
/// with the artifact-repositories ConfigMap marked as the default artifact repository and the artifact bucket created through the store's S3 API
/// (over a port-forward unless -ObjectStoreEndpoint says where). It waits for each CRD to be Established and each Deployment
/// to roll out, explaining a timeout with the object's events. Every object carries app.kubernetes.io/managed-by=argoetl; objects that existed
/// before are left without it, so Uninstall-EtlInfra never deletes them. A second run reports everything unchanged. -WhatIf lists the plan.
/// -Profile Eks -ClusterName works on an existing EKS cluster: the cluster's IAM OIDC provider; the AWS Load Balancer Controller's IAM policy
/// (iam_policy.json of the pinned release, once per account); its role (IRSA, or EKS Pod Identity with -PodIdentity) and ServiceAccount; the controller
/// (helm when on PATH, else its rendered manifests from -ManifestSource aws-load-balancer-controller/controller.yaml); then the Argo components as above with
/// argo-server behind an internal ALB Ingress (VPC only, HTTP 80; -InternetFacingCertificateArn makes it internet-facing on HTTPS 443 only), and the artifact repository on S3 (-ArtifactBucket) instead of an in-cluster store. A failing AWS step undoes the
/// AWS changes of the same run only.</para>
/// </summary>
/// <example>
/// <code>Install-EtlInfra -Platform Local</code>
/// <para>Installs the platform on the current kube context and creates the artifact bucket through a port-forward to the object store.</para>
/// </example>
/// <example>
/// <code>Install-EtlInfra -Profile Eks -ClusterName etl -Region eu-west-1 -ArtifactBucket my-artifacts -WhatIf</code>
/// <para>Shows each AWS step (OIDC provider, the controller's policy and role) and each object the Eks platform would apply, without changing anything.</para>
/// </example>
/// <example>
/// <code>Get-EtlProfile ./setup -Name local | Install-EtlInfra -ManifestSource ./argo-manifests -WhatIf</code>
/// <para>Shows every object the local profile would apply, from local copies of the Argo manifests.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Install, "EtlInfra", SupportsShouldProcess = true, DefaultParameterSetName = NameSet)]
[OutputType(typeof(AppliedObject))]
public sealed class InstallEtlInfraCommand : InfraCmdlet
{
    private const string NameSet = "Name";
    private const string ObjectSet = "Object";

    /// <summary>
    /// <para type="description">A profile from Get-EtlProfile; its name chooses the platform ('local', or the base config).</para>
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public EtlProfile? InputObject { get; set; }

    /// <summary>
    /// <para type="description">The platform to install (formerly -Profile, which now names an EtlProfile on every other cmdlet; -Profile still works here): Local (minikube and similar single-node clusters), or Eks (an existing Amazon EKS cluster: its OIDC provider, the AWS Load Balancer Controller with its IAM policy and role, Argo behind an ALB; needs -ClusterName).</para>
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Alias("Profile")]
    [ValidateSet("Local", "Eks")]
    public override string Platform { get; set; } = "Local";

    /// <summary>
    /// <para type="description">Eks: give the controller its role through EKS Pod Identity (a pod identity association) instead of IRSA.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter PodIdentity { get; set; }

    /// <summary>
    /// <para type="description">Eks: an ACM certificate ARN to make argo-server's ALB internet-facing, listening on HTTPS 443 only with this certificate. Default: the ALB is internal (reachable from the VPC only, HTTP 80), so bearer tokens never cross the internet in clear.</para>
    /// </summary>
    [Parameter]
    [ValidatePattern(@"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/.+$")]
    public string? InternetFacingCertificateArn { get; set; }

    /// <summary>
    /// <para type="description">Eks: the S3 bucket (existing) for the default artifact repository, reached by Workflows through an IRSA role; default: no artifact repository.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ArtifactBucket { get; set; }

    /// <summary>
    /// <para type="description">The EventBus's JetStream version. Default: 2.10.10.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string JetStreamVersion { get; set; } = new InfraOptions().JetStreamVersion;

    /// <summary>
    /// <para type="description">The object store image; pin it by digest (upstream MinIO was archived in 2026).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ObjectStoreImage { get; set; } = new InfraOptions().ObjectStoreImage;

    /// <summary>
    /// <para type="description">The object store's root user name; its password is generated and kept in the Secret 'minio'.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ObjectStoreUser { get; set; } = new InfraOptions().ObjectStoreUser;

    /// <summary>
    /// <para type="description">Where this machine reaches the object store's S3 API, to create the artifact bucket. Default: a port-forward to the store's service through the API server.</para>
    /// </summary>
    [Parameter]
    public Uri? ObjectStoreEndpoint { get; set; }

    /// <summary>
    /// <para type="description">How long CRDs may take to be Established and Deployments to roll out. Default: 5 minutes.</para>
    /// </summary>
    [Parameter]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <para type="description">Take over fields that another field manager owns instead of stopping at the conflict.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override InfraOptions Options() => base.Options() with
    {
        JetStreamVersion = JetStreamVersion,
        ObjectStoreImage = ObjectStoreImage,
        ObjectStoreUser = ObjectStoreUser,
        ObjectStoreEndpoint = ObjectStoreEndpoint,
    };

    protected override EksOptions EksOptions(string clusterName) => new() { ClusterName = clusterName, PodIdentity = PodIdentity, ArtifactBucket = ArtifactBucket, InternetFacingCertificateArn = InternetFacingCertificateArn };

    protected override void ProcessRecord()
    {
        try
        {
            if (InputObject is { IsBase: false } profile)
            {
                Platform = profile.Name.ToLowerInvariant() switch
                {
                    "local" => "Local",
                    "eks" => "Eks",
                    _ => throw new EtlException(EtlErrors.InfraProfileUnsupported, EtlErrorKind.InvalidArgument, $"Profile '{profile.Name}' is not a platform Install-EtlInfra knows ('local' or 'eks').",
                        "Pipe the 'local' or 'eks' profile (Get-EtlProfile -Name local), or use -Platform Local / -Platform Eks.", profile.Name),
                };
            }

            using var client = Connect();
            var service = Service(client, Options(), Timeout);
            var engine = new ApplyEngine(client) { Force = Force, Timeout = Timeout };
            var plan = Run(ct => service.Planner.PlanInstallAsync(ct));
            var preview = Run(ct => engine.PlanAsync(plan.Objects, ct));

            // Every step is shown, in the order it runs: AWS first, then the objects, then what follows them.
            bool approved = Approve(plan.Before);
            foreach (var step in preview)
            {
                approved &= ShouldProcess($"{step.Kind}/{step.Name}{(step.Namespace is null ? string.Empty : $" (namespace {step.Namespace})")} on {client.Context ?? client.Server.ToString()}", $"Server-side apply ({step.Action})");
            }

            approved &= Approve(plan.After);
            if (!approved)
            {
                return;
            }

            int total = plan.Before.Count + plan.Objects.Count + plan.After.Count;
            var applied = RunReporting($"Installing the Argo ETL platform ({Platform})", total, (AppliedObject a) => a.ToString(), (progress, ct) => service.InstallAsync(plan, engine, progress, ct));
            WriteObject(applied, enumerateCollection: true);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
