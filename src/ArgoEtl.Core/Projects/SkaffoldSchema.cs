namespace ArgoEtl.Core.Projects;

/// <summary>
/// The skaffold.yaml fields ArgoEtl knows (skaffold/v4beta1..v4beta13), to warn about misspelled or unknown ones with
/// their line. Below builder and deployer settings it does not interpret (docker, jib, helm release options...), any
/// key is accepted: Skaffold accepts them, so must we.
/// </summary>
internal static class SkaffoldSchema
{
    public static readonly IReadOnlyList<string> SupportedApiVersions = [.. Enumerable.Range(1, 13).Select(i => $"skaffold/v4beta{i}")];

    /// <summary>A field that takes any content (not checked further).</summary>
    private static readonly Field Any = new(null, null);

    private static Field Map(params (string Key, Field Field)[] fields) => new(fields.ToDictionary(f => f.Key, f => f.Field, StringComparer.Ordinal), null);

    private static Field List(Field item) => new(null, item);

    private static readonly Field Hook = Map(("host", Map(("command", Any), ("os", Any), ("dir", Any))), ("container", Map(("command", Any), ("containerName", Any), ("podName", Any))));

    // ArgoEtl's extension: 'cleanup' runs when a dev session or an uninstall ends (Skaffold has no such phase).
    private static readonly Field Hooks = Map(("before", List(Hook)), ("after", List(Hook)), ("cleanup", List(Hook)));

    private static readonly Field Selector = List(Map(("groupKind", Any), ("image", Any), ("labels", Any), ("podSpec", Any)));

    private static readonly Field Build = Map(
        ("artifacts", List(Map(("image", Any), ("context", Any), ("sync", Any), ("requires", Any), ("hooks", Any), ("platforms", Any), ("runtimeType", Any),
            ("docker", Any), ("bazel", Any), ("jib", Any), ("kaniko", Any), ("buildpacks", Any), ("custom", Any), ("ko", Any)))),
        ("insecureRegistries", Any), ("tagPolicy", Any), ("platforms", Any), ("local", Any), ("googleCloudBuild", Any), ("cluster", Any));

    private static readonly Field Manifests = Map(("rawYaml", Any), ("kustomize", Any), ("helm", Any), ("kpt", Any), ("transform", Any), ("validate", Any), ("hooks", Any));

    private static readonly Field Deploy = Map(
        ("kubectl", Map(("flags", Any), ("defaultNamespace", Any), ("hooks", Hooks), ("remoteManifests", Any))),
        ("helm", Map(("releases", List(Map(("name", Any), ("chartPath", Any), ("remoteChart", Any), ("repo", Any), ("version", Any), ("valuesFiles", Any),
            ("namespace", Any), ("createNamespace", Any), ("setValues", Any), ("setValueTemplates", Any), ("setFiles", Any), ("skipBuildDependencies", Any),
            ("useHelmSecrets", Any), ("wait", Any), ("recreatePods", Any), ("upgradeOnChange", Any), ("overrides", Any), ("packaged", Any), ("skipTests", Any),
            ("dependsOn", Any)))), ("flags", Any), ("hooks", Hooks))),
        ("docker", Any), ("kpt", Any), ("cloudrun", Any), ("statusCheckDeadlineSeconds", Any), ("statusCheck", Any), ("tolerateFailuresUntilDeadline", Any),
        ("kubeContext", Any), ("logs", Any), ("transformableAllowList", Any));

    private static readonly Field PortForward = List(Map(("resourceType", Any), ("resourceName", Any), ("namespace", Any), ("port", Any), ("localPort", Any), ("address", Any)));

    private static readonly (string, Field)[] Sections =
    [
        ("build", Build), ("test", Any), ("manifests", Manifests), ("deploy", Deploy), ("portForward", PortForward),
        ("resourceSelector", Map(("allow", Selector), ("deny", Selector))), ("verify", Any), ("customActions", Any),
    ];

    public static readonly Field Config = Map([
        ("apiVersion", Any), ("kind", Any), ("metadata", Map(("name", Any), ("labels", Any), ("annotations", Any))), ("requires", Any),
        .. Sections,
        ("profiles", List(Map([
            ("name", Any), ("activation", List(Map(("env", Any), ("kubeContext", Any), ("command", Any)))), ("requiresAllActivations", Any),
            ("patches", List(Map(("op", Any), ("path", Any), ("value", Any), ("from", Any)))),
            .. Sections,
        ]))),
    ]);

    /// <summary>Known keys of a mapping (null: any key), or the item of a list (null: not a list).</summary>
    internal sealed record Field(IReadOnlyDictionary<string, Field>? Keys, Field? Item);
}
