using System.Management.Automation;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.Core.Targets.Local.Build;
using ArgoEtl.Core.Targets.Local.Pipeline;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// <para type="synopsis">Runs a pipeline in development mode, like 'skaffold dev': build, deploy, watch, redeploy; Ctrl+C deletes what it deployed.</para>
/// <para type="description">For the profile (piped, or -Path/-Name): builds and pushes the artifacts (as Publish-EtlImage), renders the manifests with
/// those images (as Export-EtlManifest), runs the before-deploy hooks, applies the manifests with server-side apply, runs the after-deploy hooks, and starts
/// the profile's port-forwards. Then it watches the project and the artifacts' contexts: a source change rebuilds only that artifact and deploys again, a
/// manifest change deploys again without a build, and a skaffold.yaml change reloads the profile first (deploy hooks run around every deploy, as in
/// Skaffold); a broken edit is reported and the session waits for the fix. When the session ends — Ctrl+C included — it deletes every object it applied
/// (they carry its project label, so nothing else is touched) and runs the 'cleanup' hooks, the phase Skaffold lacks, where e.g.
/// Remove-EtlS3Notification belongs. -NoCleanup leaves the deployment running.</para>
/// <para type="description">On Kubernetes the session tails the logs of the pods its Workflows create and of its EventSource and Sensor pods (information
/// stream, tag 'log'; -NoLogs turns it off), writes each Workflow's phase changes as EtlWorkflowRun objects (a failed run names its failed node and
/// message), waits after each deploy until the EventSources and Sensors run (or says which do not, and why), deletes objects removed from the manifests
/// on the next deploy, and keeps port-forwards healthy (checked every few seconds, following the pod behind a service when it is replaced).
/// -Once deploys once and returns ('skaffold run').</para>
/// <para type="description">-Target Local runs the same project without a cluster (the default when there is no kube context): .NET artifacts are
/// published and their steps run as host processes, Dockerfiles are built with buildah; the embedded object store serves the buckets the EventSources name
/// (state in -StateDirectory), the EventSources listen (webhook ports, generic servers, watched folders), and every Workflow a Sensor trigger creates runs
/// here. A file copied into a bucket folder counts as a put once its size is stable. Runs are written as EtlWorkflowRun objects as they finish; step log
/// lines go to the information stream (tag 'log'). An edited manifest restarts the pipeline on the same state; Ctrl+C stops the sources, kills running
/// steps and runs the cleanup hooks.</para>
/// </summary>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json -Name local | Start-EtlDev -Registry localhost:5000</code>
/// <para>Develops the MinIO → JSON pipeline against the local cluster until Ctrl+C, then removes it.</para>
/// </example>
/// <example>
/// <code>$deployed = Get-EtlProfile ./examples/minio-json -Name local | Start-EtlDev -Once -Registry localhost:5000; $deployed | Remove-EtlDeployment</code>
/// <para>Deploys the pipeline once and leaves it running ('skaffold run'); later removes exactly what it applied ('skaffold delete').</para>
/// </example>
/// <example>
/// <code>Start-EtlDev -Path ./examples/minio-json -Target Local -InformationAction Continue</code>
/// <para>Runs the pipeline on this machine; copy a CSV into ./examples/minio-json/.argoetl/local/buckets/etl/input/ and its run appears.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Start, "EtlDev", DefaultParameterSetName = PathSet)]
[OutputType(typeof(AppliedObject), typeof(EtlImage), typeof(EtlWorkflowRun))]
public sealed class StartEtlDevCommand : ProfileCmdlet
{
    /// <summary>
    /// <para type="description">Where the pipeline runs: Kubernetes (the kube context's cluster) or Local (this machine, no cluster). Default: Kubernetes when a kube context exists, else Local.</para>
    /// </summary>
    [Parameter]
    public DevTarget Target { get; set; } = DevTarget.Auto;

    /// <summary>
    /// <para type="description">With -Target Local: the folder all state lives in (buckets/, secrets/, runs/). Default: .argoetl/local in the project folder.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StateDirectory { get; set; }

    /// <summary>
    /// <para type="description">Leave what was deployed in place when the session ends.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoCleanup { get; set; }

    /// <summary>
    /// <para type="description">Deploy once and return, as 'skaffold run': build, render, apply (pruning what the manifests no longer hold), wait until the EventSources and Sensors run, write what was applied, and leave it running. Remove-EtlDeployment removes it.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Once { get; set; }

    /// <summary>
    /// <para type="description">Do not tail logs. Without it, the log lines of the pipeline's Workflow pods (prefixed [workflow/node]) and of its EventSource and Sensor pods (prefixed [sensor/name]) go to the information stream with the tag 'log'; Workflow runs are written as EtlWorkflowRun objects either way.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter NoLogs { get; set; }

    /// <summary>
    /// <para type="description">A scriptblock run before each render (so before each deploy), given the session (Profile, Deployed, Values) as its argument and $_.
    /// What it outputs becomes template values for rendering: a hashtable's keys as given, any other object's properties in upper snake case (an
    /// EtlS3Notification gives TOPIC_ARN, BUCKET, PREFIX, REGION, ACCOUNT_ID, ...), used as {{.TOPIC_ARN}} in Helm setValueTemplates and rawYaml manifests.
    /// Make it idempotent (New-EtlS3Notification is): it runs again on every change.</para>
    /// </summary>
    [Parameter]
    public ScriptBlock? Before { get; set; }

    /// <summary>
    /// <para type="description">A scriptblock run after each deploy (after skaffold.yaml's after hooks), given the session. Its output becomes template values
    /// as -Before's does; when it changes one (e.g. WEBHOOK_URL from Wait-EtlIngress), the manifests are rendered and deployed once more.</para>
    /// </summary>
    [Parameter]
    public ScriptBlock? After { get; set; }

    /// <summary>
    /// <para type="description">A scriptblock run once when the session ends — Ctrl+C included, even mid-deploy — after skaffold.yaml's cleanup hooks, given
    /// the session: undo what -Before made (e.g. Remove-EtlS3Notification). After Ctrl+C it runs in a runspace of its own with ArgoEtl imported and the
    /// variables it names copied in; there the session is only $args[0] (not $_), so write cleanup blocks with param($session) or $args[0].</para>
    /// </summary>
    [Parameter]
    public ScriptBlock? Cleanup { get; set; }

    /// <summary>
    /// <para type="description">Images built elsewhere: the EtlImage objects Publish-EtlImage returns (-Image $images), or artifact=reference text. These artifacts
    /// are used as given and never built or rebuilt by the session (as 'skaffold deploy --images'); the others are built as usual.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public ImageArgument[] Image { get; set; } = [];

    protected override string SkaffoldCommand => "dev";

    /// <summary>-Registry, -Credential, -Builder, -BaseImage.</summary>
    private ImageParameters ImageBuild { get; } = new();

    /// <summary>-KubeConfig and -KubeContext (formerly -Context).</summary>
    private KubeParameters Kube { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [ImageBuild, Kube];

    protected override void ProcessRecord()
    {
        try
        {
            var (profiles, warnings) = ResolveProfiles();
            foreach (var warning in warnings)
            {
                WriteWarning(warning.ToString());
            }

            var profile = profiles[0];
            var prebuilt = Prebuilt();
            bool local = Target == DevTarget.Local || (Target == DevTarget.Auto && !Kube.Given && Kubeconfig.CurrentContext() is null);
            using var changes = new FileSystemChangeFeed();
            using var client = local ? null : Kube.Connect(SessionState.Path.GetUnresolvedProviderPathFromPSPath);
            var session = new DevSession(profile);
            var hooks = new ScriptBlockHookRunner(new HostHookRunner(), Before, After, Cleanup, () => Stopping, name => SessionState.PSVariable.GetValue(name));
            hooks.Snapshot();
            // The target decides how artifacts are built and where they are deployed; the rest of the loop is the same.
            DevPhases Phases(IArtifactBuilder builder, Func<EtlProfile, IDeployer> deployer) => new()
            {
                Builder = builder,
                Renderer = new SkaffoldManifestRenderer(new ProjectContext("dev")) { Session = session },
                Deployer = deployer,
                Hooks = hooks,
                Changes = changes,
                ReloadProfile = current => ProfileReloader.Reload(current, new ProjectContext(SkaffoldCommand)),
            };

            DevPhases phases;
            if (client is null)
            {
                string state = StateDirectory is null ? LocalProject.DefaultStateDirectory(profile) : SessionState.Path.GetUnresolvedProviderPathFromPSPath(StateDirectory);
                var builder = new LocalArtifactBuilder(state);
                phases = Phases(builder, _ => new LocalDeployer(state, builder));
            }
            else
            {
                var destination = ImageDestination.Resolve(ImageBuild.Registry, ImageBuild.Login(), client.Context, "Start-EtlDev");
                var publish = new PublishOptions { Registry = destination.Registry, LoadInto = destination.LoadInto, Credentials = destination.Credentials, BaseImage = ImageBuild.BaseImage, Builder = ImageBuild.Builder };
                phases = Phases(new PublishingArtifactBuilder(publish), DeployerFactory(client));
            }

            // Runs until Ctrl+C (or the pipeline is stopped); the loop cleans up before the stop completes.
            RunWithProgress<bool, DevEvent>(async (progress, ct) =>
            {
                try
                {
                    await new DevLoop(profile, phases, new DevOptions { Cleanup = !NoCleanup, Once = Once, TailLogs = !NoLogs, Prebuilt = prebuilt }, progress, session).RunAsync(ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The normal way a dev session ends.
                }

                return true;
            }, Report);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }

    private static Func<EtlProfile, IDeployer> DeployerFactory(KubeClient client) => profile => new KubernetesDeployer(client, profile);

    private void Report(DevEvent e)
    {
        switch (e.Item)
        {
            case PipelineThreadWork work:
                work.Run(); // even while stopping: the work then fails with PipelineStoppedException, which ends its wait
                break;
            case AppliedObject or EtlImage or EtlWorkflowRun when !Stopping:
                WriteObject(e.Item);
                break;
            case null when e.Phase == "logs" && !Stopping:
                WriteInformation(new InformationRecord(e.Message, "Start-EtlDev"), ["log"]);
                break;
            case EtlException ex when !Stopping:
                WriteError(ErrorRecords.From(ex));
                break;
            default:
                if (!Stopping)
                {
                    WriteVerbose($"[{e.Phase}] {e.Message}");
                }

                break;
        }
    }

    private Dictionary<string, EtlImage> Prebuilt()
    {
        var given = new Dictionary<string, EtlImage>(StringComparer.Ordinal);
        foreach (var image in Image)
        {
            var (artifact, reference) = image.Checked();
            given[artifact] = EtlImage.Given(artifact, reference);
        }

        return given;
    }
}
