using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Lint;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace ArgoEtl.Tests.Projects;

/// <summary>
/// The example projects, rendered with a built image, validate against the upstream Argo JSON Schemas
/// (../shared/argo), the Workflow inside each Sensor included, and pass Test-EtlProject without findings.
/// </summary>
public sealed class ExampleTests
{
    private static readonly string Shared = Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "argo");
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(LoadSchemas);

    public static TheoryData<string> Examples() => ["minio-json", "minio-parquet", "ftp", "s3"];

    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        // One schema per kind: the upstream document with its root pointed at that kind's definition.
        JsonSchema For(string file, string definition)
        {
            var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Shared, file)))!.AsObject();
            root.Remove("oneOf");
            root.Remove("type");
            root["$schema"] = "http://json-schema.org/draft-07/schema#";
            root["$id"] = $"https://argoetl.test/{definition}";
            root["$ref"] = $"#/definitions/{definition}";
            return JsonSchema.FromText(root.ToJsonString());
        }

        return new Dictionary<string, JsonSchema>(StringComparer.Ordinal)
        {
            ["Sensor"] = For("events/schema.json", "io.argoproj.events.v1alpha1.Sensor"),
            ["EventSource"] = For("events/schema.json", "io.argoproj.events.v1alpha1.EventSource"),
            ["Workflow"] = For("workflows/schema.json", "io.argoproj.workflow.v1alpha1.Workflow"),
        };
    }

    private static void AssertValid(string kind, JsonNode instance, string what)
    {
        using var doc = JsonDocument.Parse(instance.ToJsonString());
        var result = Schemas.Value[kind].Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, $"{what} does not validate against the upstream {kind} schema: "
            + string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(5).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}")));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Rendered_objects_validate_against_the_upstream_Argo_schemas(string example)
    {
        string dir = Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", example);
        var profile = SkaffoldProject.Load(dir, new ProjectContext("render", "none", new Dictionary<string, string>())).Profiles[0];
        var images = new Dictionary<string, string> { ["argoetl-etl"] = "localhost:5000/argoetl-etl:0123abcd@sha256:" + new string('a', 64) };
        if (example == "ftp")
        {
            images["argoetl-ftp-events"] = "localhost:5000/argoetl-ftp-events:0123abcd@sha256:" + new string('b', 64);
            images["argoetl-vsftpd"] = "localhost:5000/argoetl-vsftpd:0123abcd@sha256:" + new string('c', 64);
        }

        // The Argo objects are what the upstream schemas cover; the ftp example's Deployments and Services are not theirs.
        var manifests = new ManifestRenderer(images, new ProjectContext(), w => Assert.Fail(w.ToString())).Render(profile, default)
            .Where(m => Schemas.Value.ContainsKey(m.Kind)).ToList();

        Assert.Equal(["EventSource", "Sensor"], manifests.Select(m => m.Kind).Order());
        int validated = 0;
        foreach (var manifest in manifests)
        {
            var yaml = YamlFile.Parse(manifest.Yaml, manifest.Source).Single().Root;
            AssertValid(manifest.Kind, YamlFile.ToJson(yaml)!, manifest.Source);
            validated++;
            if (manifest.Kind == "Sensor")
            {
                var workflow = ImageRewriter.Walk(yaml, ["spec", "triggers"]) is YamlSequenceNode triggers
                    ? ImageRewriter.Walk(triggers.Children[0], ["template", "k8s", "source", "resource"])! : throw new InvalidOperationException("no trigger");
                var json = YamlFile.ToJson(workflow)!;
                AssertValid("Workflow", json, manifest.Source + " (the Workflow its trigger creates)");
                Assert.Equal(images["argoetl-etl"], json["spec"]!["templates"]![0]!["container"]!["image"]!.GetValue<string>());
                validated++;
            }
        }

        Assert.Equal(3, validated);
    }

    [Fact]
    public void The_schemas_do_reject_a_broken_Sensor()
    {
        var broken = JsonNode.Parse("""{"apiVersion":"argoproj.io/v1alpha1","kind":"Sensor","metadata":{"name":"x"},"spec":{"dependencies":[{"name":"d"}],"triggers":[]}}""")!;
        using var doc = JsonDocument.Parse(broken.ToJsonString());
        Assert.False(Schemas.Value["Sensor"].Evaluate(doc.RootElement).IsValid);
    }

    [Fact]
    public void The_s3_example_takes_its_topic_from_the_session_and_its_eks_profile_adds_the_alb_ingress()
    {
        var project = SkaffoldProject.Load(Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", "s3"), new ProjectContext("render", "none", new Dictionary<string, string>()));
        var images = new Dictionary<string, string> { ["argoetl-etl"] = "localhost:5000/argoetl-etl:1" };
        var values = new Dictionary<string, string> { ["TOPIC_ARN"] = "arn:aws:sns:ap-northeast-2:111122223333:s3-etl-s3-noti", ["REGION"] = "ap-northeast-2", ["WEBHOOK_URL"] = "http://k8s-etl-abc.elb.amazonaws.com" };
        var eks = new ManifestRenderer(images, new ProjectContext(), w => Assert.Fail(w.ToString())) { SessionValues = values }
            .RenderObjects(project.Profiles.Single(p => p.Name == "eks"), default);
        var plain = new ManifestRenderer(images, new ProjectContext(), w => Assert.Fail(w.ToString())).RenderObjects(project.Profiles[0], default);

        Assert.Equal(["EventSource", "Ingress", "Sensor"], eks.Select(o => o.Manifest.Kind).Order());
        var sns = eks.Single(o => o.Manifest.Kind == "EventSource").Object["spec"]!["sns"]!["csv"]!;
        Assert.Equal(values["TOPIC_ARN"], (string?)sns["topicArn"]);
        Assert.Equal("ap-northeast-2", (string?)sns["region"]);
        Assert.Equal(values["WEBHOOK_URL"], (string?)sns["webhook"]!["url"]);
        Assert.Equal("", (string?)sns["endpoint"]);
        var ingress = eks.Single(o => o.Manifest.Kind == "Ingress").Object;
        Assert.Equal("alb", (string?)ingress["spec"]!["ingressClassName"]);
        Assert.Equal("internet-facing", (string?)ingress["metadata"]!["annotations"]!["alb.ingress.kubernetes.io/scheme"]);
        // Argo's own templates pass through; without a session the defaults apply.
        var workflowArgs = plain.Single(o => o.Manifest.Kind == "Sensor").Object["spec"]!["triggers"]![0]!["template"]!["k8s"]!["source"]!["resource"]!["spec"]!["templates"]![0]!["container"]!["args"]!;
        Assert.Equal("{{inputs.parameters.event}}", (string?)workflowArgs[1]);
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:s3-etl-s3-noti", (string?)plain.Single(o => o.Manifest.Kind == "EventSource").Object["spec"]!["sns"]!["csv"]!["topicArn"]);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Examples_have_no_findings_in_any_profile(string example)
    {
        var project = SkaffoldProject.Load(Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", example), new ProjectContext("render", "none", new Dictionary<string, string>()));
        // examples/ftp also has 'host': the local target with an FTP server of the user's.
        Assert.Equal(example == "ftp" ? [EtlProfile.BaseName, "local", "host", "eks"] : [EtlProfile.BaseName, "local", "eks"], project.Profiles.Select(p => p.Name));
        foreach (var profile in project.Profiles)
        {
            Assert.Empty(ProjectLinter.Lint(profile, project.Warnings));
        }
    }
}
