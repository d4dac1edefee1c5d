using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Tests.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>The render phase hands deployers objects: the same ones the rendered YAML holds, with every node's file:line.</summary>
public sealed class SkaffoldManifestRendererTests
{
    private const string Config = """
        apiVersion: skaffold/v4beta13
        kind: Config
        build:
          artifacts:
          - image: app
            context: app
        manifests:
          rawYaml:
          - k8s/*.yaml
        """;

    private const string Manifests = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          replicas: "3"
          debug: false
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: app
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: app
                image: app
        """;

    [Fact]
    public async Task Renders_objects_equal_to_their_yaml_with_images_put_in_and_lines_kept()
    {
        using var files = new TempProject(("skaffold.yaml", Config), ("k8s/all.yaml", Manifests));
        var context = new ProjectContext("dev", "none", new Dictionary<string, string>());
        var profile = SkaffoldProject.Load(files.Directory, context).Profiles[0];
        var renderer = new SkaffoldManifestRenderer(context);
        var image = new EtlImage { Artifact = "app", Repository = "registry.test/app", Tag = "abc", Digest = "sha256:0123", Builder = "test" };
        var events = new List<DevEvent>();

        var objects = await renderer.RenderAsync(profile, new Dictionary<string, EtlImage> { ["app"] = image }, new Progress(events), CancellationToken.None);

        Assert.Equal(["ConfigMap/settings", "Deployment/app"], objects.Select(o => o.Manifest.ToString()));
        foreach (var o in objects)
        {
            var fromYaml = YamlFile.ToJson(YamlFile.Parse(o.Manifest.Yaml, o.Manifest.Source).Single().Root)!;
            Assert.True(JsonNode.DeepEquals(fromYaml, o.Object), o.Manifest.Source);
        }

        var deployment = objects[1];
        Assert.Equal("registry.test/app:abc@sha256:0123", (string?)deployment.Object["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal(2L, (long?)deployment.Object["spec"]!["replicas"]);
        Assert.Equal("3", (string?)objects[0].Object["data"]!["replicas"]); // quoted stays a string
        Assert.Equal(("k8s/all.yaml", 9), (deployment.File, deployment.Line));
        Assert.Equal("k8s/all.yaml:9", deployment.Manifest.Source);
        var document = deployment.ToDocument();
        Assert.Equal("k8s/all.yaml:19", document.Where("/spec/template/spec/containers/0/image"));
        Assert.Equal("k8s/all.yaml:14", document.Where("/spec/replicas"));
        Assert.Empty(events);

        Assert.Equal([Path.Combine(files.Directory, "k8s", "*.yaml")], renderer.Dependencies(profile));
    }

    private sealed class Progress(List<DevEvent> events) : IProgress<DevEvent>
    {
        public void Report(DevEvent value) => events.Add(value);
    }
}
