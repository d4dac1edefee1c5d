using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// What 'skaffold render' does for a profile: expand rawYaml globs, read every document, render Helm releases with
/// 'helm template', and put the built images into all of them. The same inputs give byte-identical YAML.
/// </summary>
public sealed class ManifestRenderer
{
    private readonly IReadOnlyDictionary<string, string> _images;
    private readonly ProjectContext _context;
    private readonly Action<ProjectWarning> _warn;

    /// <param name="images">Artifact image name → the built, fully qualified reference.</param>
    public ManifestRenderer(IReadOnlyDictionary<string, string> images, ProjectContext context, Action<ProjectWarning> warn)
    {
        _images = images;
        _context = context;
        _warn = warn;
    }

    /// <summary>Folders to look for helm in (PATH syntax); null means the PATH environment variable.</summary>
    public string? HelmSearchPath { get; init; }

    /// <summary>Template values a dev session's hooks set (<see cref="Dev.DevSession.Values"/>): Helm templates see them beside the environment, rawYaml manifests as <see cref="ManifestTemplates"/> says.</summary>
    public IReadOnlyDictionary<string, string> SessionValues { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public IReadOnlyList<RenderedManifest> Render(EtlProfile profile, CancellationToken cancellationToken) =>
        [.. RenderObjects(profile, cancellationToken).Select(o => o.Manifest)];

    /// <summary>The same render, each manifest with its object as JSON and the lines of its nodes, for deployers.</summary>
    public IReadOnlyList<RenderedObject> RenderObjects(EtlProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        foreach (string given in _images.Keys.Where(k => profile.Artifacts.All(a => a.ImageName != k)))
        {
            _warn(new ProjectWarning(profile.Path, profile.ConfigLine, $"image '{given}' is not a build artifact of profile {profile.Name}; nothing refers to it"));
        }

        foreach (var missing in profile.Artifacts.Where(a => !_images.ContainsKey(a.ImageName)))
        {
            _warn(new ProjectWarning(profile.Path, profile.ConfigLine, $"no built image was given for artifact '{missing.ImageName}'; manifests keep the bare name"));
        }

        var rewriter = new ImageRewriter(_images, profile.ResourceSelectors.Select(s => (s.GroupKind, s.ImagePaths)));
        var rendered = new List<RenderedObject>();
        foreach (string pattern in profile.RawYaml)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pattern.StartsWith("http://", StringComparison.Ordinal) || pattern.StartsWith("https://", StringComparison.Ordinal))
            {
                _warn(new ProjectWarning(profile.Path, profile.LineOf(pattern), $"rawYaml URL '{pattern}' is not fetched by ArgoEtl; download it into the project"));
                continue;
            }

            var files = ManifestFiles.Expand(profile, pattern);
            if (files.Count == 0)
            {
                _warn(new ProjectWarning(profile.Path, profile.LineOf(pattern), $"manifests.rawYaml pattern '{pattern}' matches no file (profile {profile.Name})"));
            }

            foreach (string file in files)
            {
                foreach (var doc in YamlFile.Load(file))
                {
                    ManifestTemplates.Expand(doc.Root, SessionValues);
                    rendered.Add(ToManifest(doc, rewriter, profile, Path.GetRelativePath(profile.ProjectDirectory, file).Replace('\\', '/')));
                }
            }
        }

        foreach (var release in profile.HelmReleases)
        {
            string output = RunHelm(profile, release, cancellationToken);
            foreach (var doc in YamlFile.Parse(output, $"helm release {release.Name}"))
            {
                rendered.Add(ToManifest(doc, rewriter, profile, $"helm:{release.Name}"));
            }
        }

        return rendered;
    }

    /// <summary>Writes manifests as one multi-document YAML file, as 'skaffold render --output' does.</summary>
    public static string Join(IEnumerable<RenderedManifest> manifests) =>
        string.Join("---\n", manifests.Select(m => m.Yaml));

    private static RenderedObject ToManifest(YamlDocumentAt doc, ImageRewriter rewriter, EtlProfile profile, string file)
    {
        string source = $"{file}:{doc.Line}";
        if (ManifestShape.Problem(doc.Root) is { } problem)
        {
            throw new EtlException(EtlErrors.ManifestNotAnObject, $"{source}: {problem}.",
                "Remove the document or complete it; every manifest file must hold only Kubernetes objects.", source);
        }

        var obj = (YamlMappingNode)doc.Root;
        string kind = ImageRewriter.Text(obj, "kind")!;
        string apiVersion = ImageRewriter.Text(obj, "apiVersion")!;

        rewriter.Rewrite(obj);
        string? name = ImageRewriter.Walk(obj, ["metadata", "name"]) is YamlScalarNode n ? n.Value : null;
        string? generateName = ImageRewriter.Walk(obj, ["metadata", "generateName"]) is YamlScalarNode g ? g.Value : null;
        var manifest = new RenderedManifest
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = name ?? generateName ?? string.Empty,
            Namespace = ImageRewriter.Walk(obj, ["metadata", "namespace"]) is YamlScalarNode ns ? ns.Value : null,
            Source = source,
            Profile = profile.Name,
            Yaml = Serialize(obj),
        };
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var json = (JsonObject)YamlFile.ToJson(obj, lines)!;
        return new RenderedObject(manifest, json, file, doc.Line, lines);
    }

    /// <summary>
    /// Writes the joined manifests to a file all at once: into a temp file beside it, renamed over the destination
    /// only when complete, so a failure (or Ctrl+C) never leaves a truncated or empty file in place of the old one.
    /// </summary>
    public static void WriteFile(string path, IEnumerable<RenderedManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.argoetl-{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(temp, Join(manifests), new System.Text.UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EtlException(EtlErrors.ManifestWriteFailed, $"Cannot write {full}: {ex.Message}",
                "Check that the folder exists and is writable, and that the path is not a folder.", full, ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Block-style YAML with the input's key order and scalar styles, LF line ends, no document markers.</summary>
    public static string Serialize(YamlNode node)
    {
        var stream = new YamlStream(new YamlDocument(node));
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        string text = writer.ToString();
        if (text.EndsWith("...\n", StringComparison.Ordinal))
        {
            text = text[..^4];
        }

        return text.EndsWith('\n') ? text : text + "\n";
    }

    private string RunHelm(EtlProfile profile, EtlHelmRelease release, CancellationToken cancellationToken)
    {
        string helm = FindOnPath("helm", HelmSearchPath) ?? throw new EtlException(EtlErrors.HelmNotInstalled, $"Helm release '{release.Name}' of profile {profile.Name} needs the helm command, which is not on PATH.",
            "Install Helm 3 (https://helm.sh/docs/intro/install/, or your package manager's 'helm'), or render a profile without deploy.helm.", release.Name);
        string chart = release.ChartPath is { } local ? Path.GetFullPath(Path.Combine(profile.ProjectDirectory, local)) : release.RemoteChart
            ?? throw new EtlException(EtlErrors.HelmReleaseInvalid, $"Helm release '{release.Name}' has neither chartPath nor remoteChart.",
                "Set chartPath (a chart folder in the project) or remoteChart (with repo).", release.Name);

        var environment = new Dictionary<string, string>(_context.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in SessionValues)
        {
            environment[name] = value;
        }

        var values = TemplateValues.For(_images, environment);
        var start = new ProcessStartInfo(helm) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = profile.ProjectDirectory };
        foreach (string arg in new[] { "template", release.Name, chart })
        {
            start.ArgumentList.Add(arg);
        }

        void Option(string flag, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                start.ArgumentList.Add(flag);
                start.ArgumentList.Add(value);
            }
        }

        Option("--repo", release.Repo);
        Option("--version", release.Version);
        Option("--namespace", release.Namespace is null ? null : TemplateValues.Expand(release.Namespace, values));
        foreach (string file in release.ValuesFiles)
        {
            Option("--values", TemplateValues.Expand(file, values));
        }

        foreach (var (key, value) in release.SetValues.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Option("--set", $"{key}={value}");
        }

        foreach (var (key, template) in release.SetValueTemplates.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            Option("--set", $"{key}={TemplateValues.Expand(template, values)}");
        }

        using var process = Process.Start(start)!;
        using var registration = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        });
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            throw new EtlException(EtlErrors.HelmTemplateFailed, $"helm template for release '{release.Name}' failed (exit {process.ExitCode}): {stderr.Trim()}",
                "Fix the chart or values; 'helm template' with the same arguments shows the same error.", release.Name);
        }

        return stdout.Result;
    }

    internal static string? FindOnPath(string command, string? searchPath = null) =>
        (searchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, command)).FirstOrDefault(File.Exists);
}
