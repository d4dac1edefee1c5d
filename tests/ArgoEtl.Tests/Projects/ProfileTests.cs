using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Projects;

public sealed class ProfileTests
{
    private const string Config = """
        apiVersion: skaffold/v4beta11
        kind: Config
        metadata:
          name: demo
        build:
          tagPolicy:
            gitCommit: {}
          local:
            push: false
          artifacts:
          - image: etl
            context: etl
            docker:
              dockerfile: Dockerfile
              buildArgs:
                MODE: base
        manifests:
          rawYaml:
          - k8s/*.yaml
        deploy:
          kubectl:
            defaultNamespace: base-ns
            hooks:
              before:
              - host:
                  command: ["sh", "-c", "echo before"]
                  os: [linux, darwin]
              cleanup:
              - host:
                  command: ["sh", "-c", "echo cleanup"]
        portForward:
        - resourceType: service
          resourceName: minio
          port: 9001
        profiles:
        - name: local
          activation:
          - kubeContext: minikube
          manifests:
            rawYaml:
            - k8s/*.yaml
            - local/*.yaml
        - name: prod
          activation:
          - env: STAGE=prod
            command: deploy
          build:
            cluster: {}
          deploy:
            kubectl:
              defaultNamespace: prod-ns
          patches:
          - op: replace
            path: /build/artifacts/0/docker/buildArgs/MODE
            value: prod
          - path: /build/artifacts/0/context
            value: etl-prod
        - name: noisy
          activation:
          - env: STAGE!=prod
        """;

    private static SkaffoldProject Load(TempProject project, string? command = null, string? kube = null, Dictionary<string, string>? env = null) =>
        SkaffoldProject.Load(project.Directory, new ProjectContext(command, kube ?? "kind-test", env ?? new Dictionary<string, string>()));

    [Fact]
    public void Base_and_each_profile_come_back_resolved_with_artifacts_hooks_and_port_forwards()
    {
        using var project = new TempProject(("skaffold.yaml", Config));
        var all = Load(project).Profiles;

        Assert.Equal([EtlProfile.BaseName, "local", "prod", "noisy"], all.Select(p => p.Name));
        var baseProfile = all[0];
        Assert.Equal("demo", baseProfile.ConfigName);
        Assert.Equal(Path.Combine(project.Directory, "skaffold.yaml"), baseProfile.Path);
        Assert.Equal(("etl", "etl", "docker", "Dockerfile"), (baseProfile.Artifacts[0].ImageName, baseProfile.Artifacts[0].Context, baseProfile.Artifacts[0].Builder, baseProfile.Artifacts[0].Dockerfile));
        Assert.Equal(["before", "cleanup"], baseProfile.Hooks.Select(h => h.Phase));
        Assert.Equal(["linux", "darwin"], baseProfile.Hooks[0].Os);
        Assert.Equal(9001, Assert.Single(baseProfile.PortForwards).Port);
        Assert.Equal("base-ns", baseProfile.DefaultNamespace);
    }

    [Fact]
    public void A_profile_overlays_field_by_field_replaces_lists_and_one_of_groups_and_then_patches()
    {
        using var project = new TempProject(("skaffold.yaml", Config));
        var profiles = Load(project).Profiles.ToDictionary(p => p.Name);

        Assert.Equal(["k8s/*.yaml", "local/*.yaml"], profiles["local"].RawYaml);
        Assert.Equal("base-ns", profiles["local"].DefaultNamespace);

        var prod = profiles["prod"];
        Assert.Equal("prod-ns", prod.DefaultNamespace);
        Assert.Equal(["before", "cleanup"], prod.Hooks.Select(h => h.Phase)); // hooks kept: only defaultNamespace was overridden
        Assert.Equal("prod", prod.Artifacts[0].BuildArgs["MODE"]);
        Assert.Equal("etl-prod", prod.Artifacts[0].Context);   // op defaults to replace
        Assert.NotNull(prod.Config["build"]!["cluster"]);
        Assert.Null(prod.Config["build"]!["local"]);           // build.local/cluster are one-of: the profile's replaces the base's
        Assert.NotNull(prod.Config["build"]!["tagPolicy"]!["gitCommit"]);
    }

    [Theory]
    [InlineData("minikube", null, null, new[] { "local", "noisy" })]
    [InlineData("kind-test", "deploy", "prod", new[] { "prod" })]
    [InlineData("kind-test", "render", "prod", new string[0])]
    [InlineData("kind-test", null, "dev", new[] { "noisy" })]
    public void Activations_follow_kube_context_env_and_command_with_and_inside_an_entry(string kube, string? command, string? stage, string[] expected)
    {
        using var project = new TempProject(("skaffold.yaml", Config));
        var env = stage is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["STAGE"] = stage };
        var loaded = Load(project, command, kube, env);

        Assert.Equal(expected, loaded.Profiles.Where(p => p.AutoActivated).Select(p => p.Name));
        Assert.Equal([EtlProfile.BaseName, .. expected], loaded.Select(null).Select(p => p.Name));
        Assert.Contains(loaded.Profiles.Single(p => p.Name == "prod").Activation, a => a.StartsWith("env STAGE=prod and command deploy", StringComparison.Ordinal));
    }

    [Fact]
    public void The_effective_config_applies_every_active_or_named_profile_together_in_file_order()
    {
        using var project = new TempProject(("skaffold.yaml", Config));

        var auto = Assert.Single(Load(project, kube: "minikube").Effective(null));
        Assert.Equal("local+noisy", auto.Name);
        Assert.True(auto.AutoActivated);
        Assert.Equal(["k8s/*.yaml", "local/*.yaml"], auto.RawYaml);

        var named = Assert.Single(Load(project).Effective(["prod", "local"]));
        Assert.Equal("local+prod", named.Name);
        Assert.Equal(["k8s/*.yaml", "local/*.yaml"], named.RawYaml);
        Assert.Equal("prod-ns", named.DefaultNamespace);
        Assert.Equal("prod", named.Artifacts[0].BuildArgs["MODE"]);

        Assert.Equal(EtlProfile.BaseName, Assert.Single(Load(project, kube: "kind-test", env: new() { ["STAGE"] = "prod" }).Effective(null)).Name);
        Assert.Equal("ProfileNotFound", Assert.Throws<EtlException>(() => Load(project).Effective(["nope"])).Code);
    }

    [Fact]
    public void Unknown_profiles_list_the_available_ones()
    {
        using var project = new TempProject(("skaffold.yaml", Config));
        var error = Assert.Throws<EtlException>(() => Load(project).Select(["staging"]));
        Assert.Equal("ProfileNotFound", error.Code);
        Assert.Contains("Available: local, prod, noisy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_warnings_with_their_line_and_ArgoEtl_cleanup_hooks_are_known()
    {
        using var project = new TempProject(("skaffold.yaml", Config.Replace("portForward:", "portFoward: []\nportForward:", StringComparison.Ordinal)));
        var warning = Assert.Single(Load(project).Warnings);
        Assert.Equal(31, warning.Line);
        Assert.Contains("unknown field 'portFoward'", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("apiVersion: skaffold/v2beta29\nkind: Config\n", "SkaffoldApiVersionUnsupported", "skaffold/v4beta13")]
    [InlineData("apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n  - image: [a\n", "YamlSyntaxError", "skaffold.yaml:")]
    [InlineData("apiVersion: skaffold/v4beta11\nkind: Config\nprofiles:\n- name: x\n  patches:\n  - op: replace\n    path: /build/artifacts/3/image\n    value: y\n", "SkaffoldPatchFailed", ":6:")]
    public void Bad_files_fail_with_the_file_the_line_and_what_is_supported(string text, string code, string expected)
    {
        using var project = new TempProject(("skaffold.yaml", text));
        var error = Assert.Throws<EtlException>(() => Load(project));
        Assert.Equal(code, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
