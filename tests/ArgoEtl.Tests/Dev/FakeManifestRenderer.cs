using System.Text.Json.Nodes;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Tests.Dev;

/// <summary>Renders one Deployment per artifact of the profile, with the given image (or the bare name when none was built).</summary>
internal sealed class FakeManifestRenderer(TestBench bench) : IManifestRenderer
{
    public IReadOnlyList<string> Dependencies(EtlProfile profile) => [.. profile.RawYaml.Select(p => Path.GetFullPath(Path.Combine(profile.ProjectDirectory, p)))];

    public async Task<IReadOnlyList<RenderedObject>> RenderAsync(EtlProfile profile, IReadOnlyDictionary<string, EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        await bench.CheckAsync("render", string.Empty, cancellationToken);
        string given = string.Join(", ", images.Values.Select(i => i.FullyQualifiedName).Order(StringComparer.Ordinal));
        bench.Record(c => c.Rendered.Add(given), "render");
        return [.. profile.Artifacts.Select(a => Deployment(a.ImageName, images.TryGetValue(a.ImageName, out var image) ? image.FullyQualifiedName : a.ImageName, profile.Name))];
    }

    private static RenderedObject Deployment(string name, string image, string profile)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = image }) } } },
        };
        var manifest = new RenderedManifest { ApiVersion = "apps/v1", Kind = "Deployment", Name = name, Source = $"k8s/{name}.yaml:1", Profile = profile, Yaml = string.Empty };
        return new RenderedObject(manifest, obj, $"k8s/{name}.yaml", 1, new Dictionary<string, int>());
    }
}
