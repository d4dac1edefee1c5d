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

    protected override string SkaffoldCommand => "dev";

    /// <summary>-Registry, -Credential, -Builder, -BaseImage.</summary>
    private ImageParameters Image { get; } = new();

    /// <summary>-KubeConfig and -KubeContext (formerly -Context).</summary>
    private KubeParameters Kube { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [Image, Kube];

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
            bool local = Target == DevTarget.Local || (Target == DevTarget.Auto && !Kube.Given && Kubeconfig.CurrentContext() is null);
            using var changes = new FileSystemChangeFeed();
            using var client = local ? null : Kube.Connect(SessionState.Path.GetUnresolvedProviderPathFromPSPath);
            // The target decides how artifacts are built and where they are deployed; the rest of the loop is the same.
            DevPhases Phases(IArtifactBuilder builder, Func<EtlProfile, IDeployer> deployer) => new()
            {
                Builder = builder,
                Renderer = new SkaffoldManifestRenderer(new ProjectContext("dev")),
                Deployer = deployer,
                Hooks = new HostHookRunner(),
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
                var destination = ImageDestination.Resolve(Image.Registry, Image.Login(), client.Context, "Start-EtlDev");
                var publish = new PublishOptions { Registry = destination.Registry, LoadInto = destination.LoadInto, Credentials = destination.Credentials, BaseImage = Image.BaseImage, Builder = Image.Builder };
                phases = Phases(new PublishingArtifactBuilder(publish), DeployerFactory(client));
            }

            // Runs until Ctrl+C (or the pipeline is stopped); the loop cleans up before the stop completes.
            RunWithProgress<bool, DevEvent>(async (progress, ct) =>
            {
                try
                {
                    await new DevLoop(profile, phases, new DevOptions { Cleanup = !NoCleanup }, progress).RunAsync(ct).ConfigureAwait(false);
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
}
