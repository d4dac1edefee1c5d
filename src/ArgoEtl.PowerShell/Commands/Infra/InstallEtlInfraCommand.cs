using System.Management.Automation;
using ArgoEtl.Core.Infra;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Infra;

/// <summary>
/// <para type="synopsis">Installs what Argo ETL pipelines need on a local cluster: Argo Events with a JetStream EventBus, the Sensors' service account, Argo Workflows with a UI token, and an S3-compatible object store as the artifact repository.</para>
/// <para type="description">Replaces the typical 'setup' Skaffold project. Applies, with server-side apply (field manager 'argoetl') in dependency order:
/// the namespaces; Argo Events (pinned release) and an EventBus using JetStream; the operate-workflow-sa ServiceAccount with the Role Sensors need to
/// create Workflows; Argo Workflows (pinned release; its CRDs need server-side apply); a service-account token Secret for the UI (see
/// Get-EtlWorkflowToken); and an object store (the image is a parameter) whose root password is generated once and stored only in the Secret 'minio',
/// with the artifact-repositories ConfigMap marked as the default artifact repository and the artifact bucket created through the store's S3 API
/// (over a port-forward unless -ObjectStoreEndpoint says where). It waits for each CRD to be Established and each Deployment
/// to roll out, explaining a timeout with the object's events. Every object carries app.kubernetes.io/managed-by=argoetl; objects that existed
/// before are left without it, so Uninstall-EtlInfra never deletes them. A second run reports everything unchanged. -WhatIf lists the plan.</para>
/// </summary>
/// <example>
/// <code>Install-EtlInfra -Platform Local</code>
/// <para>Installs the platform on the current kube context and creates the artifact bucket through a port-forward to the object store.</para>
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
    /// <para type="description">The platform to install. Local (minikube and similar single-node clusters) is the one supported today. (Formerly -Profile, which now names an EtlProfile on every cmdlet.)</para>
    /// </summary>
    [Parameter(Position = 0, ParameterSetName = NameSet)]
    [Alias("Profile")]
    [ValidateSet("Local")]
    public string Platform { get; set; } = "Local";

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

    protected override void ProcessRecord()
    {
        try
        {
            if (InputObject is { IsBase: false } profile && !profile.Name.Equals("local", StringComparison.OrdinalIgnoreCase))
            {
                throw new EtlException(EtlErrors.InfraProfileUnsupported, $"Profile '{profile.Name}' is not a platform Install-EtlInfra knows; only 'local' is supported today.",
                    "Pipe the 'local' profile (Get-EtlProfile -Name local), or use -Platform Local.", profile.Name);
            }

            using var client = Connect();
            var options = Options();
            var service = new InfraService(client, options);
            var engine = new ApplyEngine(client) { Force = Force, Timeout = Timeout };
            var plan = Run(ct => service.Planner.PlanAsync(ct));
            var preview = Run(ct => engine.PlanAsync(plan, ct));
            bool approved = true;
            foreach (var step in preview)
            {
                approved &= ShouldProcess($"{step.Kind}/{step.Name}{(step.Namespace is null ? string.Empty : $" (namespace {step.Namespace})")} on {client.Context ?? client.Server.ToString()}", $"Server-side apply ({step.Action})");
            }

            approved &= ShouldProcess($"s3://{options.ArtifactBucket} at {(options.ObjectStoreEndpoint is { } endpoint ? ArgoEtl.Etl.Storage.UrlRedaction.Redact(endpoint) : null) ?? $"service minio:9000 in {options.EventsNamespace} (port-forward)"}", "Create bucket");

            if (!approved)
            {
                return;
            }

            var applied = RunReporting("Installing the Argo ETL platform", plan.Count, (AppliedObject a) => a.ToString(), (progress, ct) => service.InstallAsync(plan, engine, progress, ct));
            WriteObject(applied, enumerateCollection: true);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
