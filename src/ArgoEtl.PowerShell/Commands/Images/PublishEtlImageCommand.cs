using System.Management.Automation;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Etl.Aws;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Images;

/// <summary>
/// <para type="synopsis">Builds a profile's images without a Docker daemon and pushes them to a registry or Amazon ECR.</para>
/// <para type="description">For each build artifact of the profile: a .NET project is built with the SDK's container support (dotnet publish
/// -t:PublishContainer); a Dockerfile context with docker when an engine answers, otherwise buildah (vfs storage, chroot isolation) or podman.
/// The tag is by default a digest of the build inputs (the files .dockerignore keeps, the Dockerfile, build args, base image), so an unchanged
/// artifact's tag is found in the registry and reported as Cached without building. Images go to -Registry (host[:port][/path], Skaffold's
/// default-repo) with the login from -Credential or the Docker config file, or to ECR with -Ecr (GetAuthorizationToken, signed with SigV4;
/// -CreateRepository creates missing repositories). The digest is read back from the registry. Returns EtlImage objects whose FullyQualifiedName
/// (repository:tag@digest) is what Export-EtlManifest puts into manifests. A failed artifact does not stop the others unless -FailFast.</para>
/// </summary>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json | Publish-EtlImage -Registry localhost:5000</code>
/// <para>Builds the ETL step's image with the .NET SDK and pushes it to a local registry.</para>
/// </example>
/// <example>
/// <code>$images = Get-EtlProfile . -Name eks | Publish-EtlImage -Ecr -CreateRepository -Region ap-northeast-2; Get-EtlProfile . -Name eks | Export-EtlManifest -Image $images</code>
/// <para>Pushes to ECR, creating repositories as needed, and renders the manifests with the pushed digests.</para>
/// </example>
[Cmdlet(VerbsData.Publish, "EtlImage", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(EtlImage))]
public sealed class PublishEtlImageCommand : ProfileCmdlet
{
    // Several profiles of one project (Get-EtlProfile | ...) share artifacts: each is published once per call.
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);

    /// <summary>
    /// <para type="description">Only these artifacts (by image name). Default: all of the profile's.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Artifact { get; set; }

    /// <summary>
    /// <para type="description">Push to Amazon ECR of the AWS account and region in use, logging in with GetAuthorizationToken.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter Ecr { get; set; }

    /// <summary>
    /// <para type="description">With -Ecr: create repositories that do not exist yet.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter CreateRepository { get; set; }

    /// <summary>
    /// <para type="description">With -CreateRepository: scan images on push.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter ScanOnPush { get; set; }

    /// <summary>
    /// <para type="description">With -CreateRepository: make tags immutable.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter ImmutableTags { get; set; }

    /// <summary>
    /// <para type="description">InputDigest (default), GitCommit, or Custom with -Tag.</para>
    /// </summary>
    [Parameter]
    public TagPolicy TagPolicy { get; set; } = TagPolicy.InputDigest;

    /// <summary>
    /// <para type="description">The tag, with -TagPolicy Custom.</para>
    /// </summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    public string? Tag { get; set; }

    /// <summary>
    /// <para type="description">Stop at the first artifact that fails instead of going on with the others.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter FailFast { get; set; }

    protected override string SkaffoldCommand => "build";

    /// <summary>-Registry, -Credential, -Builder, -BaseImage.</summary>
    private ImageParameters Image { get; } = new();

    /// <summary>With -Ecr: -Region, -ProfileName, -EndpointUrl.</summary>
    private AwsParameters Aws { get; } = new();

    /// <summary>-KubeConfig and -KubeContext: whether, without -Registry, images are loaded into minikube.</summary>
    private KubeParameters Kube { get; } = new();

    protected override IEnumerable<ParameterBundle> Bundles => [Image, Aws, Kube];

    protected override void ProcessRecord()
    {
        try
        {
            // Without a registry (and without -Ecr), a minikube cluster gets the images loaded directly.
            var destination = Ecr ? null : ImageDestination.Resolve(Image.Registry, Image.Login(), Kube.ContextName(SessionState.Path.GetUnresolvedProviderPathFromPSPath), "Publish-EtlImage");

            var (profiles, warnings) = ResolveProfiles();
            foreach (var warning in warnings)
            {
                WriteWarning(warning.ToString());
            }

            var artifacts = profiles.SelectMany(p => p.Artifacts.Select(a => (Profile: p, Artifact: a)))
                .Where(x => Artifact is null || Artifact.Contains(x.Artifact.ImageName, StringComparer.Ordinal))
                .DistinctBy(x => x.Artifact.ImageName)
                .Where(x => !_published.Contains($"{x.Profile.Path}|{x.Artifact.ImageName}|{x.Artifact.Context}")).ToList();
            if (artifacts.Count == 0 && _published.Count > 0)
            {
                return;
            }

            if (artifacts.Count == 0)
            {
                WriteWarning("No build artifacts to publish.");
                return;
            }

            string action = destination?.LoadInto is { } minikube ? $"Build and load into minikube profile {minikube.Profile}" : Ecr ? "Build and push to ECR" : $"Build and push to {ArgoEtl.Etl.Storage.UrlRedaction.Redact(Image.Registry)}";
            var approved = artifacts.Where(x => ShouldProcess($"{x.Artifact.ImageName} ({x.Profile.Path})", action)).ToList();
            if (approved.Count == 0)
            {
                return;
            }

            destination ??= LoginToEcr(approved.Select(a => a.Artifact.ImageName).ToList());
            using var client = new RegistryClient();
            var publisher = new ImagePublisher(client, new PublishOptions
            {
                Registry = destination.Registry,
                LoadInto = destination.LoadInto,
                Credentials = destination.Credentials,
                Builder = Image.Builder,
                BaseImage = Image.BaseImage,
                TagPolicy = TagPolicy,
                Tag = Tag,
            });

            int index = 0;
            foreach (var (profile, artifact) in approved)
            {
                index++;
                var record = new ProgressRecord(0x_B11D, $"Publishing {artifact.ImageName} ({index} of {approved.Count})", "Starting");
                try
                {
                    var image = RunWithProgress<EtlImage, string>((progress, ct) => publisher.PublishAsync(artifact, profile.ProjectDirectory, progress.Report, ct), line =>
                    {
                        WriteVerbose(line);
                        record.StatusDescription = line.Length > 120 ? line[..120] : line;
                        WriteProgress(record);
                    });
                    _published.Add($"{profile.Path}|{artifact.ImageName}|{artifact.Context}");
                    WriteObject(image);
                }
                catch (EtlException ex) when (!FailFast)
                {
                    WriteError(ErrorRecords.From(ex));
                }
                finally
                {
                    record.RecordType = ProgressRecordType.Completed;
                    WriteProgress(record);
                }
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }

    private ImageDestination LoginToEcr(IReadOnlyList<string> repositories)
    {
        using var aws = new AwsSession(Aws.Connection());
        return Run(ct => EcrRepositories.PrepareAsync(aws, repositories, new EcrRepositoryPolicy(CreateRepository, ScanOnPush, ImmutableTags), ct));
    }
}
