using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>Upstream files of pinned releases: from their release URL, or from -ManifestSource (a folder) offline.</summary>
internal static class UpstreamManifests
{
    /// <summary>The YAML documents of <paramref name="folder"/>/<paramref name="file"/> under -ManifestSource, else downloaded from <paramref name="url"/>.</summary>
    public static async Task<IEnumerable<JsonObject>> LoadYamlAsync(InfraOptions options, string folder, string file, Uri url, CancellationToken cancellationToken)
    {
        string text = await LoadTextAsync(options, folder, file, url, cancellationToken).ConfigureAwait(false);
        string source = options.ManifestSource is { } dir ? Path.Combine(dir, folder, file) : UrlRedaction.Redact(url);
        return KubeObjects.Documents(YamlFile.Parse(text, source));
    }

    public static async Task<string> LoadTextAsync(InfraOptions options, string folder, string file, Uri url, CancellationToken cancellationToken)
    {
        if (options.ManifestSource is { } dir)
        {
            string path = Path.Combine(dir, folder, file);
            if (!File.Exists(path))
            {
                throw new EtlException("ManifestSourceIncomplete", EtlErrorKind.NotFound, $"-ManifestSource {dir} has no {folder}/{file}.",
                    $"Put the release's {file} at {path} (download {url}).", path);
            }

            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        try
        {
            return await http.GetStringAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new EtlException("ManifestDownloadFailed", EtlErrorKind.Connection, $"Downloading {UrlRedaction.Redact(url)} failed: {UrlRedaction.Redact(ex.Message)}",
                $"Check the network, or download the release files and pass the folder with -ManifestSource ({folder}/{file}).", UrlRedaction.Redact(url), ex);
        }
    }

    /// <summary>Argo Workflows: workflows/install.yaml, or a source checkout's CRDs beside install-no-crds.yaml.</summary>
    public static async Task<IEnumerable<JsonObject>> LoadWorkflowsAsync(InfraOptions options, CancellationToken cancellationToken)
    {
        if (options.ManifestSource is { } dir && !File.Exists(Path.Combine(dir, "workflows", "install.yaml")))
        {
            var files = Directory.GetFiles(Path.Combine(dir, "workflows"), "argoproj.io_*.yaml").Order(StringComparer.Ordinal)
                .Append(Path.Combine(dir, "workflows", "install-no-crds.yaml"));
            return files.SelectMany(f => KubeObjects.Documents(YamlFile.Load(f)));
        }

        return await LoadYamlAsync(options, "workflows", "install.yaml", options.ArgoWorkflowsUrl, cancellationToken).ConfigureAwait(false);
    }
}
