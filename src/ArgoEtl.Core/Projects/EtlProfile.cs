using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Projects;

/// <summary>
/// One way to run a Skaffold project: its base config, or the base with one profile applied (Skaffold's '-p name'),
/// resolved into what ArgoEtl's cmdlets act on. Install-EtlInfra, Publish-EtlImage, Export-EtlManifest and Start-EtlDev
/// take it from the pipeline, whole or by its Path and Name.
/// </summary>
public sealed class EtlProfile
{
    /// <summary>What <see cref="Name"/> is for the config without a profile.</summary>
    public const string BaseName = "(base)";

    public required string Name { get; init; }

    /// <summary>The skaffold.yaml this came from (full path).</summary>
    public required string Path { get; init; }

    public required string ProjectDirectory { get; init; }

    /// <summary>metadata.name of the config, if it has one.</summary>
    public string? ConfigName { get; init; }

    public required string ApiVersion { get; init; }

    public bool IsBase => Name == BaseName;

    /// <summary>Whether Skaffold would turn this profile on by itself in the current context (env, kube context, command).</summary>
    public bool AutoActivated { get; init; }

    /// <summary>Each activation rule and whether it matched, e.g. "kubeContext=minikube: matched".</summary>
    public IReadOnlyList<string> Activation { get; init; } = [];

    public IReadOnlyList<EtlArtifact> Artifacts { get; init; } = [];

    /// <summary>manifests.rawYaml globs, relative to <see cref="ProjectDirectory"/>.</summary>
    public IReadOnlyList<string> RawYaml { get; init; } = [];

    /// <summary>The line in <see cref="Path"/> where each rawYaml pattern is written (the profile's own, else the base's), for warnings about it.</summary>
    public IReadOnlyDictionary<string, int> RawYamlLines { get; init; } = new Dictionary<string, int>();

    /// <summary>The skaffold.yaml line of a rawYaml pattern; the config's first line when it came from elsewhere.</summary>
    public int LineOf(string pattern) => RawYamlLines.TryGetValue(pattern, out int line) ? line : ConfigLine;

    /// <summary>The line where this profile's config document starts.</summary>
    public int ConfigLine { get; init; } = 1;

    public IReadOnlyList<EtlHelmRelease> HelmReleases { get; init; } = [];

    /// <summary>deploy.kubectl.defaultNamespace, if set.</summary>
    public string? DefaultNamespace { get; init; }

    public IReadOnlyList<EtlHook> Hooks { get; init; } = [];

    public IReadOnlyList<EtlPortForward> PortForwards { get; init; } = [];

    /// <summary>resourceSelector.allow: kinds whose image fields are rewritten too.</summary>
    public IReadOnlyList<EtlResourceSelector> ResourceSelectors { get; init; } = [];

    /// <summary>The whole merged config, for fields ArgoEtl does not model.</summary>
    public required JsonObject Config { get; init; }

    public override string ToString() => $"{Name} ({Path})";
}

/// <summary>A build artifact: the image name manifests use, and how it is built.</summary>
public sealed record EtlArtifact(string ImageName, string Context, string Builder, string? Dockerfile, IReadOnlyDictionary<string, string> BuildArgs)
{
    // Records print collections by their type name; views and Format-List show this instead.
    public override string ToString() =>
        $"{ImageName} ({Builder} in {Context}{(Dockerfile is null ? string.Empty : $", {Dockerfile}")}{Listed(BuildArgs, ", buildArgs ")})";

    // Keys only: build args and Helm values often carry tokens and passwords, and this text is what views print.
    internal static string Listed(IReadOnlyDictionary<string, string> pairs, string prefix) =>
        pairs.Count == 0 ? string.Empty : prefix + string.Join(' ', pairs.Keys);
}

/// <summary>A Helm release of deploy.helm.</summary>
public sealed record EtlHelmRelease(string Name, string? ChartPath, string? RemoteChart, string? Repo, string? Version, string? Namespace,
    IReadOnlyList<string> ValuesFiles, IReadOnlyDictionary<string, string> SetValues, IReadOnlyDictionary<string, string> SetValueTemplates, bool Wait)
{
    public override string ToString() =>
        $"{Name} ({ChartPath ?? RemoteChart}{(Version is null ? string.Empty : $" {Version}")}{(Namespace is null ? string.Empty : $" in {Namespace}")}" +
        $"{(ValuesFiles.Count == 0 ? string.Empty : $", values {string.Join(' ', ValuesFiles)}")}{EtlArtifact.Listed(SetValues, ", set ")}{EtlArtifact.Listed(SetValueTemplates, ", setValueTemplates ")})";
}

/// <summary>A deploy hook: Phase is before, after, or ArgoEtl's cleanup; host commands run on this machine (only on the listed OSes, if any).</summary>
public sealed record EtlHook(string Deployer, string Phase, IReadOnlyList<string> Command, IReadOnlyList<string> Os, string? Dir, string? Container)
{
    public override string ToString() =>
        $"{Phase}: {string.Join(' ', Command)}{(Container is null ? string.Empty : $" (in container {Container})")}{(Os.Count == 0 ? string.Empty : $" [{string.Join(',', Os)}]")}";
}

public sealed record EtlPortForward(string ResourceType, string ResourceName, string? Namespace, int Port, int? LocalPort, string? Address);

/// <summary>groupKind (Kind.group) and the image field paths (regular expressions) Skaffold may rewrite in it.</summary>
public sealed record EtlResourceSelector(string GroupKind, IReadOnlyList<string> ImagePaths)
{
    public override string ToString() => $"{GroupKind}: {string.Join(", ", ImagePaths)}";
}
