using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Rendering;

/// <summary>
/// Replaces build artifacts' image names with the images that were built, where Skaffold would and where it would not
/// without help: every pod template of the core workload kinds; Argo Workflow, WorkflowTemplate, ClusterWorkflowTemplate
/// and CronWorkflow templates; the Workflow inside an Argo Events Sensor trigger (k8s and argoWorkflow); and any field
/// named 'image' in kinds that resourceSelector.allow lists. An image matches an artifact when its repository (without
/// tag or digest) is the artifact's image name.
/// </summary>
public sealed class ImageRewriter
{
    private static readonly Dictionary<string, string[][]> PodSpecPaths = new(StringComparer.Ordinal)
    {
        ["Pod"] = [["spec"]],
        ["Deployment"] = [["spec", "template", "spec"]],
        ["ReplicaSet"] = [["spec", "template", "spec"]],
        ["StatefulSet"] = [["spec", "template", "spec"]],
        ["DaemonSet"] = [["spec", "template", "spec"]],
        ["Job"] = [["spec", "template", "spec"]],
        ["ReplicationController"] = [["spec", "template", "spec"]],
        ["CronJob"] = [["spec", "jobTemplate", "spec", "template", "spec"]],
    };

    private static readonly string[] ContainerLists = ["containers", "initContainers", "ephemeralContainers"];

    private readonly IReadOnlyDictionary<string, string> _images;
    private readonly IReadOnlyList<(string GroupKind, Regex[] Paths)> _allowed;

    /// <param name="images">Artifact image name → the reference to use (e.g. registry/name:tag@sha256:...).</param>
    /// <param name="allowed">resourceSelector.allow entries: groupKind (Kind.group) and regexes over image field paths.</param>
    public ImageRewriter(IReadOnlyDictionary<string, string> images, IEnumerable<(string GroupKind, IReadOnlyList<string> ImagePaths)> allowed)
    {
        _images = images;
        _allowed = [.. allowed.Select(a => (a.GroupKind, a.ImagePaths.Select(p => new Regex($"^(?:{p})$", RegexOptions.None, TimeSpan.FromSeconds(1))).ToArray()))];
    }

    /// <summary>Rewrites one object in place; returns how many image fields it changed.</summary>
    public int Rewrite(YamlMappingNode obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        string kind = Text(obj, "kind") ?? string.Empty;
        string apiVersion = Text(obj, "apiVersion") ?? string.Empty;
        string group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        int changed = 0;

        if (PodSpecPaths.TryGetValue(kind, out var paths) && group is "" or "apps" or "batch")
        {
            foreach (var path in paths)
            {
                if (Walk(obj, path) is YamlMappingNode podSpec)
                {
                    changed += RewriteContainers(podSpec, ContainerLists);
                }
            }
        }
        else if (group == "argoproj.io")
        {
            switch (kind)
            {
                case "Workflow" or "WorkflowTemplate" or "ClusterWorkflowTemplate":
                    changed += RewriteWorkflowSpec(Walk(obj, ["spec"]) as YamlMappingNode);
                    break;
                case "CronWorkflow":
                    changed += RewriteWorkflowSpec(Walk(obj, ["spec", "workflowSpec"]) as YamlMappingNode);
                    break;
                case "Sensor":
                    foreach (var trigger in Items(Walk(obj, ["spec", "triggers"])))
                    {
                        foreach (string type in new[] { "k8s", "argoWorkflow" })
                        {
                            if (Walk(trigger, ["template", type, "source", "resource"]) is YamlMappingNode embedded)
                            {
                                changed += Rewrite(embedded);
                            }
                        }
                    }

                    break;
            }
        }

        string groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
        foreach (var (allowedKind, imagePaths) in _allowed)
        {
            if (string.Equals(allowedKind, groupKind, StringComparison.Ordinal))
            {
                changed += RewriteNamedImages(obj, string.Empty, imagePaths);
            }
        }

        return changed;
    }

    // A Workflow spec: each template's container, script, containerSet, init containers and sidecars, and templateDefaults.
    private int RewriteWorkflowSpec(YamlMappingNode? spec)
    {
        if (spec is null)
        {
            return 0;
        }

        int changed = 0;
        var templates = Items(Walk(spec, ["templates"])).ToList();
        if (Walk(spec, ["templateDefaults"]) is YamlMappingNode defaults)
        {
            templates.Add(defaults);
        }

        foreach (var template in templates)
        {
            foreach (string single in new[] { "container", "script" })
            {
                if (Walk(template, [single]) is YamlMappingNode container)
                {
                    changed += RewriteImage(container);
                }
            }

            changed += RewriteContainers(template, ["initContainers", "sidecars"]);
            if (Walk(template, ["containerSet"]) is YamlMappingNode set)
            {
                changed += RewriteContainers(set, ["containers"]);
            }
        }

        return changed;
    }

    private int RewriteContainers(YamlMappingNode owner, IEnumerable<string> lists) =>
        lists.Sum(list => Items(Walk(owner, [list])).Sum(RewriteImage));

    private int RewriteImage(YamlMappingNode container) =>
        container.Children.TryGetValue(new YamlScalarNode("image"), out var node) && node is YamlScalarNode scalar && Replace(scalar) ? 1 : 0;

    private int RewriteNamedImages(YamlNode node, string path, Regex[] allowedPaths)
    {
        int changed = 0;
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    string name = ((YamlScalarNode)key).Value ?? string.Empty;
                    string childPath = $"{path}.{name}";
                    if (name == "image" && value is YamlScalarNode scalar && allowedPaths.Any(p => p.IsMatch(childPath)))
                    {
                        changed += Replace(scalar) ? 1 : 0;
                    }
                    else
                    {
                        changed += RewriteNamedImages(value, childPath, allowedPaths);
                    }
                }

                break;
            case YamlSequenceNode seq:
                int i = 0;
                foreach (var item in seq.Children)
                {
                    changed += RewriteNamedImages(item, $"{path}.{(i++).ToString(CultureInfo.InvariantCulture)}", allowedPaths);
                }

                break;
        }

        return changed;
    }

    // Only values that still name the artifact change, so rewriting twice (or a Sensor matched twice) is harmless.
    private bool Replace(YamlScalarNode scalar)
    {
        if (scalar.Value is not { Length: > 0 } value)
        {
            return false;
        }

        var reference = ImageReference.Parse(value);
        if (_images.TryGetValue(reference.Repository, out var built) && built != value)
        {
            scalar.Value = built;
            return true;
        }

        return false;
    }

    internal static YamlNode? Walk(YamlNode node, IEnumerable<string> path)
    {
        YamlNode? current = node;
        foreach (string key in path)
        {
            current = current is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    internal static IEnumerable<YamlMappingNode> Items(YamlNode? node) => node is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : [];

    internal static string? Text(YamlNode node, string key) => Walk(node, [key]) is YamlScalarNode s ? s.Value : null;
}
