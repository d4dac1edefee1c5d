using System.Management.Automation;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// <para type="synopsis">Renders a profile's Kubernetes manifests with the built images, like 'skaffold render'.</para>
/// <para type="description">Expands manifests.rawYaml globs relative to skaffold.yaml, reads every document, renders deploy.helm releases with
/// 'helm template' (helm must be on PATH), and replaces build artifacts' image names with the given images: in pod templates of the core
/// workload kinds, in Argo Workflow, WorkflowTemplate, ClusterWorkflowTemplate and CronWorkflow templates, in the Workflow a Sensor's k8s or
/// argoWorkflow trigger creates, and in 'image' fields of kinds that resourceSelector.allow lists. Helm setValueTemplates and namespaces expand
/// {{.IMAGE_FULLY_QUALIFIED_x}}, {{.IMAGE_REPO_x}}, {{.IMAGE_TAG_x}}, {{.IMAGE_DIGEST_x}} and environment variables as Skaffold does.
/// Returns one object per Kubernetes object, or writes them all to one multi-document file with -OutputPath. The same inputs give byte-identical output.</para>
/// </summary>
/// <example>
/// <code>Get-EtlProfile ./examples/minio-json | Export-EtlManifest -Image minio-etl=localhost:5000/minio-etl:abc123</code>
/// <para>Renders every profile's objects with the built image and lists them.</para>
/// </example>
/// <example>
/// <code>Export-EtlManifest -Path ./examples/minio-parquet -Name local -Image minio-parq-etl=localhost:5000/minio-parq-etl:1 -OutputPath ./out/local.yaml</code>
/// <para>Writes the 'local' profile's manifests to one file, as skaffold render --output does.</para>
/// </example>
[Cmdlet(VerbsData.Export, "EtlManifest", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(RenderedManifest))]
public sealed class ExportEtlManifestCommand : ProfileCmdlet
{
    private readonly List<RenderedManifest> _forFile = [];

    // Any failed input means -OutputPath is left as it was: a partial render is not written over a good file.
    private bool _failed;

    /// <summary>
    /// <para type="description">Built images: the EtlImage objects Publish-EtlImage returns (-Image $images), or artifact=reference text, e.g. minio-etl=localhost:5000/minio-etl:abc@sha256:... Artifacts without one keep their bare name (with a warning).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public ImageArgument[] Image { get; set; } = [];

    /// <summary>
    /// <para type="description">Write all objects to this file as multi-document YAML instead of returning them. The file is written to a
    /// temporary file beside it and renamed when complete; if any input fails, nothing is written and an existing file is left unchanged.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    protected override string SkaffoldCommand => "render";

    protected override void ProcessRecord()
    {
        try
        {
            var images = ParseImages();
            var (profiles, warnings) = ResolveProfiles();
            foreach (var warning in warnings)
            {
                WriteWarning(warning.ToString());
            }

            foreach (var profile in profiles)
            {
                var renderer = new ManifestRenderer(images, new ProjectContext("render"), w => WriteWarning(w.ToString()));
                var manifests = renderer.Render(profile, PipelineStopToken);
                if (OutputPath is null)
                {
                    WriteObject(manifests, enumerateCollection: true);
                }
                else
                {
                    _forFile.AddRange(manifests);
                }
            }
        }
        catch (EtlException ex)
        {
            _failed = true;
            WriteError(ErrorRecords.From(ex));
        }
    }

    protected override void EndProcessing()
    {
        if (OutputPath is null)
        {
            return;
        }

        string path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputPath);
        if (_failed)
        {
            WriteWarning($"{path} was not written because rendering failed; an existing file there is unchanged.");
            return;
        }

        if (ShouldProcess(path, $"Write {_forFile.Count} rendered objects"))
        {
            try
            {
                ManifestRenderer.WriteFile(path, _forFile);
            }
            catch (EtlException ex)
            {
                WriteError(ErrorRecords.From(ex));
            }
        }
    }

    private Dictionary<string, string> ParseImages()
    {
        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in Image)
        {
            var (artifact, reference) = image.Checked();
            images[artifact] = reference;
        }

        return images;
    }
}
