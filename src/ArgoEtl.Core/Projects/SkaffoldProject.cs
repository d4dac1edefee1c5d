using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Core.Projects;

/// <summary>Something in a project file that works but deserves attention, with where it is.</summary>
public sealed record ProjectWarning(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>
/// A Skaffold project read as-is: every config of a skaffold.yaml (documents separated by ---), its base and each
/// profile resolved by Skaffold's rules. Nothing in the file needs changing for ArgoEtl.
/// </summary>
public sealed class SkaffoldProject
{
    private static readonly string[] FileNames = ["skaffold.yaml", "skaffold.yml"];
    private static readonly string[] Builders = ["docker", "custom", "jib", "ko", "buildpacks", "bazel", "kaniko"];

    private readonly IReadOnlyList<ConfigSource> _configs;
    private readonly ProjectContext _context;

    private SkaffoldProject(string path, IReadOnlyList<EtlProfile> profiles, IReadOnlyList<ProjectWarning> warnings, IReadOnlyList<ConfigSource> configs, ProjectContext context)
    {
        Path = path;
        Profiles = profiles;
        Warnings = warnings;
        _configs = configs;
        _context = context;
    }

    /// <summary>One config document: its base, its profiles as written, and where their lines are.</summary>
    private sealed record ConfigSource(string Path, YamlDocumentAt Doc, string Directory, string? ConfigName, string ApiVersion, JsonObject Base,
        IReadOnlyList<(string Name, JsonObject Profile, string At)> Profiles, Dictionary<string, int> Lines)
    {
        /// <summary>Where each rawYaml pattern is written: under the profile (by name) or, for "", the base.</summary>
        public Dictionary<string, Dictionary<string, int>> PatternLines { get; } = new(StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>Each config's base first, then its profiles in file order.</summary>
    public IReadOnlyList<EtlProfile> Profiles { get; }

    public IReadOnlyList<ProjectWarning> Warnings { get; }

    public IReadOnlyList<string> ProfileNames => [.. Profiles.Where(p => !p.IsBase).Select(p => p.Name).Distinct(StringComparer.Ordinal)];

    /// <summary>The skaffold.yaml for a file or folder path; null when a folder has none.</summary>
    public static string? FindConfig(string pathOrDirectory)
    {
        if (File.Exists(pathOrDirectory))
        {
            return System.IO.Path.GetFullPath(pathOrDirectory);
        }

        return Directory.Exists(pathOrDirectory)
            ? FileNames.Select(n => System.IO.Path.Combine(pathOrDirectory, n)).Where(File.Exists).Select(System.IO.Path.GetFullPath).FirstOrDefault()
            : null;
    }

    public static SkaffoldProject Load(string pathOrDirectory, ProjectContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string path = FindConfig(pathOrDirectory) ?? throw new EtlException(EtlErrors.SkaffoldConfigNotFound, $"No skaffold.yaml at '{pathOrDirectory}'.", "Pass -Path with the project folder or its skaffold.yaml.", pathOrDirectory);
        var warnings = new List<ProjectWarning>();
        var profiles = new List<EtlProfile>();
        var configs = new List<ConfigSource>();
        foreach (var doc in YamlFile.Load(path))
        {
            if (doc.Root is not YamlMappingNode root)
            {
                throw new EtlException(EtlErrors.SkaffoldConfigInvalid, $"{path}:{doc.Line}: a Skaffold config must be a mapping.", "Start the document with apiVersion: and kind: Config.", path);
            }

            var source = ReadConfig(path, doc, root, warnings);
            configs.Add(source);
            profiles.Add(Resolve(EtlProfile.BaseName, source.Base, source, false, []));
            foreach (var (name, profile, at) in source.Profiles)
            {
                var (active, report) = Evaluate(profile, context);
                profiles.Add(Resolve(name, ApplyProfile(source.Base, source, name, profile, at), source, active, report));
            }
        }

        if (profiles.Count == 0)
        {
            throw new EtlException(EtlErrors.SkaffoldConfigEmpty, $"{path} has no Skaffold config.", "Add apiVersion: skaffold/v4beta13 and kind: Config.", path);
        }

        return new SkaffoldProject(path, profiles, warnings, configs, context);
    }

    /// <summary>
    /// The config a Skaffold command would run with, one per config document: the base with the named profiles applied
    /// in file order (as 'skaffold render -p a,b' does), or, with no names, with every profile that activates by itself.
    /// An unknown name is an error listing the available ones.
    /// </summary>
    public IReadOnlyList<EtlProfile> Effective(IReadOnlyCollection<string>? names)
    {
        if (names is { Count: > 0 })
        {
            Select(names); // for its error on unknown names
        }

        var effective = new List<EtlProfile>();
        foreach (var source in _configs)
        {
            var chosen = source.Profiles
                .Where(p => names is { Count: > 0 } ? names.Contains(p.Name, StringComparer.Ordinal) : Evaluate(p.Profile, _context).Active)
                .ToList();
            var config = source.Base;
            foreach (var (name, profile, at) in chosen)
            {
                config = ApplyProfile(config, source, name, profile, at);
            }

            string combined = chosen.Count == 0 ? EtlProfile.BaseName : string.Join('+', chosen.Select(c => c.Name));
            effective.Add(Resolve(combined, config, source, names is not { Count: > 0 } && chosen.Count > 0, [.. chosen.SelectMany(c => Evaluate(c.Profile, _context).Report)]));
        }

        return effective;
    }

    /// <summary>
    /// The profiles to act on: the named ones (each applied to the base), or, with no names, the base plus every
    /// profile that activates by itself in this context. An unknown name is an error listing the available ones.
    /// </summary>
    public IReadOnlyList<EtlProfile> Select(IReadOnlyCollection<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return [.. Profiles.Where(p => p.IsBase || p.AutoActivated)];
        }

        var unknown = names.Where(n => n != EtlProfile.BaseName && !ProfileNames.Contains(n, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new EtlException(EtlErrors.ProfileNotFound, $"{Path} has no profile {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Available: {(ProfileNames.Count == 0 ? "none" : string.Join(", ", ProfileNames))}.",
                "Use one of the available names (Tab completes them).", unknown[0]);
        }

        return [.. Profiles.Where(p => names.Contains(p.Name, StringComparer.Ordinal))];
    }

    private static ConfigSource ReadConfig(string path, YamlDocumentAt doc, YamlMappingNode root, List<ProjectWarning> warnings)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var config = YamlFile.ToJson(root, lines) as JsonObject ?? [];
        string apiVersion = config["apiVersion"]?.GetValue<string>() ?? string.Empty;
        if (!SkaffoldSchema.SupportedApiVersions.Contains(apiVersion, StringComparer.Ordinal))
        {
            throw new EtlException(EtlErrors.SkaffoldApiVersionUnsupported, $"{path}:{Line(lines, "/apiVersion", doc.Line)}: apiVersion '{apiVersion}' is not supported. Supported: {string.Join(", ", SkaffoldSchema.SupportedApiVersions)}.",
                "Run 'skaffold fix' to upgrade the file, or set a supported apiVersion.", path);
        }

        if (config["kind"]?.GetValue<string>() is { } kind && kind != "Config")
        {
            throw new EtlException(EtlErrors.SkaffoldKindUnsupported, $"{path}:{Line(lines, "/kind", doc.Line)}: kind '{kind}' is not a Skaffold config.", "Use kind: Config.", path);
        }

        WarnUnknown(path, root, SkaffoldSchema.Config, string.Empty, warnings);

        var baseConfig = (JsonObject)config.DeepClone();
        baseConfig.Remove("profiles");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var profiles = new List<(string, JsonObject, string)>();
        var list = config["profiles"] as JsonArray ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            string at = $"/profiles/{i}";
            var profile = list[i] as JsonObject ?? throw new EtlException(EtlErrors.SkaffoldProfileInvalid, $"{path}:{Line(lines, at, doc.Line)}: a profile must be a mapping.", "Give each profile a name and the sections it overrides.", path);
            string name = profile["name"]?.GetValue<string>() ?? throw new EtlException(EtlErrors.SkaffoldProfileInvalid, $"{path}:{Line(lines, at, doc.Line)}: a profile has no name.", "Add 'name:' to the profile.", path);
            if (!seen.Add(name))
            {
                throw new EtlException(EtlErrors.SkaffoldProfileDuplicate, $"{path}:{Line(lines, at, doc.Line)}: profile '{name}' is defined twice.", "Rename or merge the two profiles.", path);
            }

            profiles.Add((name, profile, at));
        }

        var source = new ConfigSource(path, doc, System.IO.Path.GetDirectoryName(path)!, config["metadata"]?["name"]?.GetValue<string>(), apiVersion, baseConfig, profiles, lines);
        source.PatternLines[string.Empty] = PatternLines(config, string.Empty, lines);
        foreach (var (name, profile, at) in profiles)
        {
            source.PatternLines[name] = PatternLines(profile, at, lines);
        }

        return source;
    }

    // One profile onto a config: its sections overlay, then its patches apply (errors name the patch's line).
    private static JsonObject ApplyProfile(JsonObject config, ConfigSource source, string name, JsonObject profile, string at)
    {
        var merged = config.DeepClone().AsObject();
        foreach (var (key, value) in profile)
        {
            if (key is not ("name" or "activation" or "requiresAllActivations" or "patches"))
            {
                merged[key] = ConfigMerge.Overlay(merged[key], value);
            }
        }

        var patches = profile["patches"] as JsonArray ?? [];
        for (int p = 0; p < patches.Count; p++)
        {
            var patch = patches[p]!.AsObject();
            try
            {
                merged = ConfigMerge.Apply(merged, patch["op"]?.GetValue<string>() ?? "replace", patch["path"]?.GetValue<string>() ?? string.Empty, patch["value"], patch["from"]?.GetValue<string>()).AsObject();
            }
            catch (InvalidOperationException ex)
            {
                throw new EtlException(EtlErrors.SkaffoldPatchFailed, $"{source.Path}:{Line(source.Lines, $"{at}/patches/{p}", source.Doc.Line)}: profile '{name}': {ex.Message}.",
                    "Patch paths are JSON pointers into the config with the profile's sections applied, e.g. /build/artifacts/0/docker/dockerfile.", source.Path, ex);
            }
        }

        return merged;
    }

    // Activation: a profile turns on when any entry matches (all with requiresAllActivations); an entry matches when all
    // of its conditions do. env is NAME=regex or NAME!=regex; kubeContext is a regex, negated by a leading '!'.
    private static (bool Active, IReadOnlyList<string> Report) Evaluate(JsonObject profile, ProjectContext context)
    {
        var entries = profile["activation"] as JsonArray ?? [];
        if (entries.Count == 0)
        {
            return (false, []);
        }

        var report = new List<string>();
        var results = new List<bool>();
        foreach (var entry in entries.OfType<JsonObject>())
        {
            var conditions = new List<(string Text, bool Ok)>();
            if (entry["env"]?.GetValue<string>() is { } env)
            {
                conditions.Add(($"env {env}", EnvMatches(env, context.Environment)));
            }

            if (entry["kubeContext"]?.GetValue<string>() is { } kube)
            {
                bool negate = kube.StartsWith('!');
                string pattern = negate ? kube[1..] : kube;
                bool match = context.KubeContext is { } current && Regex.IsMatch(current, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1));
                conditions.Add(($"kubeContext {kube}", match != negate));
            }

            if (entry["command"]?.GetValue<string>() is { } command)
            {
                conditions.Add(($"command {command}", string.Equals(command, context.Command, StringComparison.Ordinal)));
            }

            bool ok = conditions.Count > 0 && conditions.All(c => c.Ok);
            results.Add(ok);
            report.Add($"{string.Join(" and ", conditions.Select(c => c.Text))}: {(ok ? "matched" : "not matched")}");
        }

        bool all = profile["requiresAllActivations"]?.GetValue<bool>() ?? false;
        return (all ? results.All(r => r) : results.Any(r => r), report);
    }

    private static bool EnvMatches(string spec, IReadOnlyDictionary<string, string> environment)
    {
        int ne = spec.IndexOf("!=", StringComparison.Ordinal);
        int eq = spec.IndexOf('=', StringComparison.Ordinal);
        bool negate = ne >= 0 && ne + 1 == eq;
        int split = negate ? ne : eq;
        if (split < 0)
        {
            return environment.ContainsKey(spec);
        }

        string name = spec[..split];
        string pattern = spec[(split + (negate ? 2 : 1))..];
        bool match = environment.TryGetValue(name, out var value) && Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1));
        return match != negate;
    }

    private static EtlProfile Resolve(string name, JsonObject config, ConfigSource source, bool active, IReadOnlyList<string> activation)
    {
        static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue(out string? s) ? s : n?.ToJsonString();
        static IReadOnlyList<string> Strings(JsonNode? n) => n switch
        {
            JsonArray a => [.. a.Select(Str).OfType<string>()],
            JsonValue => [Str(n)!],
            _ => [],
        };
        static IReadOnlyDictionary<string, string> Pairs(JsonNode? n) => n is JsonObject o
            ? o.ToDictionary(p => p.Key, p => Str(p.Value) ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>();

        var artifacts = (config["build"]?["artifacts"] as JsonArray ?? []).OfType<JsonObject>().Select(a =>
        {
            string builder = Builders.FirstOrDefault(a.ContainsKey) ?? "docker";
            return new EtlArtifact(Str(a["image"]) ?? string.Empty, Str(a["context"]) ?? ".", builder,
                Str(a["docker"]?["dockerfile"]) ?? (builder == "docker" ? "Dockerfile" : null), Pairs(a["docker"]?["buildArgs"]));
        }).ToList();

        var deploy = config["deploy"] as JsonObject;
        var hooks = new List<EtlHook>();
        foreach (string deployer in new[] { "kubectl", "helm" })
        {
            foreach (string phase in new[] { "before", "after", "cleanup" })
            {
                foreach (var hook in (deploy?[deployer]?["hooks"]?[phase] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var host = hook["host"];
                    var container = hook["container"];
                    hooks.Add(new EtlHook(deployer, phase, Strings((host ?? container)?["command"]), Strings(host?["os"]), Str(host?["dir"]),
                        container is null ? null : Str(container["containerName"]) ?? Str(container["podName"])));
                }
            }
        }

        var releases = (deploy?["helm"]?["releases"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new EtlHelmRelease(
            Str(r["name"]) ?? string.Empty, Str(r["chartPath"]), Str(r["remoteChart"]), Str(r["repo"]), Str(r["version"]), Str(r["namespace"]),
            Strings(r["valuesFiles"]), Pairs(r["setValues"]), Pairs(r["setValueTemplates"]), r["wait"] is JsonValue w && w.TryGetValue(out bool b) && b)).ToList();

        var forwards = (config["portForward"] as JsonArray ?? []).OfType<JsonObject>().Select(f => new EtlPortForward(
            Str(f["resourceType"]) ?? "service", Str(f["resourceName"]) ?? string.Empty, Str(f["namespace"]),
            int.TryParse(Str(f["port"]), NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : 0,
            int.TryParse(Str(f["localPort"]), NumberStyles.None, CultureInfo.InvariantCulture, out int local) ? local : null, Str(f["address"]))).ToList();

        var selectors = (config["resourceSelector"]?["allow"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => new EtlResourceSelector(Str(s["groupKind"]) ?? string.Empty, Strings(s["image"]))).ToList();

        return new EtlProfile
        {
            Name = name,
            Path = source.Path,
            ProjectDirectory = source.Directory,
            ConfigName = source.ConfigName,
            ApiVersion = source.ApiVersion,
            AutoActivated = active,
            Activation = activation,
            Artifacts = artifacts,
            RawYaml = Strings(config["manifests"]?["rawYaml"]),
            RawYamlLines = RawYamlLines(name, source),
            ConfigLine = source.Doc.Line,
            HelmReleases = releases,
            DefaultNamespace = Str(deploy?["kubectl"]?["defaultNamespace"]),
            Hooks = hooks,
            PortForwards = forwards,
            ResourceSelectors = selectors,
            Config = config,
        };
    }

    // A combined name ("a+b") applies its profiles in order, so the last one that writes a pattern is where it comes from.
    private static Dictionary<string, int> RawYamlLines(string name, ConfigSource source)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string part in name.Split('+').Reverse().Append(string.Empty))
        {
            foreach (var (pattern, line) in source.PatternLines.GetValueOrDefault(part) ?? [])
            {
                result.TryAdd(pattern, line);
            }
        }

        return result;
    }

    private static void WarnUnknown(string path, YamlNode node, SkaffoldSchema.Field field, string at, List<ProjectWarning> warnings)
    {
        if (field.Keys is { } keys && node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                string name = ((YamlScalarNode)key).Value ?? string.Empty;
                if (keys.TryGetValue(name, out var child))
                {
                    WarnUnknown(path, value, child, $"{at}.{name}", warnings);
                }
                else
                {
                    warnings.Add(new ProjectWarning(path, (int)key.Start.Line,
                        $"unknown field '{name}' in {(at.Length == 0 ? "the config" : at.TrimStart('.'))} (known: {string.Join(", ", keys.Keys.Order(StringComparer.Ordinal))}); it is ignored"));
                }
            }
        }
        else if (field.Item is { } item && node is YamlSequenceNode seq)
        {
            int i = 0;
            foreach (var element in seq.Children)
            {
                WarnUnknown(path, element, item, $"{at}[{i++}]", warnings);
            }
        }
    }

    // The rawYaml patterns a config or profile writes (in manifests.rawYaml, or as a patch's value), with their lines.
    private static Dictionary<string, int> PatternLines(JsonObject section, string at, Dictionary<string, int> lines)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        void Take(JsonNode? node, string pointer)
        {
            switch (node)
            {
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        Take(array[i], $"{pointer}/{i.ToString(CultureInfo.InvariantCulture)}");
                    }

                    break;
                case JsonValue value when value.TryGetValue(out string? text) && lines.TryGetValue(pointer, out int line):
                    found.TryAdd(text, line);
                    break;
            }
        }

        Take(section["manifests"]?["rawYaml"], $"{at}/manifests/rawYaml");
        var patches = section["patches"] as JsonArray ?? [];
        for (int p = 0; p < patches.Count; p++)
        {
            if (patches[p]?["path"] is JsonValue path && path.TryGetValue(out string? target) && target.Contains("/rawYaml", StringComparison.Ordinal))
            {
                Take(patches[p]!["value"], $"{at}/patches/{p.ToString(CultureInfo.InvariantCulture)}/value");
            }
        }

        return found;
    }

    private static int Line(Dictionary<string, int> lines, string pointer, int fallback) => lines.TryGetValue(pointer, out int line) ? line : fallback;
}
