using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Lint;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;
using ArgoEtl.Tests.Projects;

namespace ArgoEtl.Tests.BadInput;

/// <summary>
/// The bad-input corpus (Corpus/*.yaml, expectations in Corpus/cases.json): each broken skaffold.yaml, manifest or
/// kubeconfig is read the way Get-EtlProfile/Export-EtlManifest/Test-EtlProject/KubeClient read it, and must give its
/// stable error id or finding, name the place (file:line[:column]) and never anything but an EtlException.
/// </summary>
public sealed class BadInputCorpusTests
{
    private const string ProjectSkaffold = """
        apiVersion: skaffold/v4beta13
        kind: Config
        manifests:
          rawYaml:
          - k8s/*.yaml
        """;

    private const string GoodManifest = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: good
        data:
          a: b
        """;

    public sealed record CorpusCase(string File, string As, string? Error, string? Finding, string? Warning, string Where, string? Secret)
    {
        public override string ToString() => File;
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static string CorpusDirectory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Corpus");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load())
        {
            data.Add(c.File);
        }

        return data;
    }

    /// <summary>Stands in corpus files and cases.json for a credential generated per run.</summary>
    private const string GeneratedSecret = "{{GENERATED_SECRET}}";

    private static List<CorpusCase> Load() =>
        JsonSerializer.Deserialize<List<CorpusCase>>(File.ReadAllText(Path.Combine(CorpusDirectory(), "cases.json")), Json)!;

    [Fact]
    public void The_corpus_has_at_least_15_files_and_every_file_has_a_case()
    {
        var files = Directory.GetFiles(CorpusDirectory(), "*.yaml").Select(f => Path.GetFileName(f)).OfType<string>().Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 15, $"only {files.Count} corpus files");
        Assert.Equal(files, Load().Select(c => c.File).Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_bad_input_gives_its_stable_id_and_names_the_place(string name)
    {
        var c = Load().Single(x => x.File == name);
        string path = Path.Combine(CorpusDirectory(), name);
        string text = await File.ReadAllTextAsync(path);

        // A credential a file must not leak is made for each run, never written into the repository.
        string generated = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        if (text.Contains(GeneratedSecret, StringComparison.Ordinal))
        {
            text = text.Replace(GeneratedSecret, generated, StringComparison.Ordinal);
            path = Path.Combine(Path.GetTempPath(), $"argoetl-corpus-{Guid.NewGuid():N}-{name}");
            await File.WriteAllTextAsync(path, text);
        }

        var outcome = c.As switch
        {
            "skaffold" => RunProject(text, null),
            "manifest" => RunProject(ProjectSkaffold, text),
            "kubeconfig" => await RunKubeconfigAsync(path),
            _ => throw new InvalidOperationException($"unknown case kind {c.As}"),
        };

        var where = new Regex(c.Where);
        if (c.Error is { } code)
        {
            var error = Assert.Single(outcome.Errors, e => e.Code == code);
            Assert.True(where.IsMatch(error.Message), $"'{c.Where}' not in: {error.Message}");
            Assert.False(string.IsNullOrEmpty(error.Suggestion));
            if (c.Secret is { } secret)
            {
                secret = secret.Replace(GeneratedSecret, generated, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, error.Target?.ToString() ?? string.Empty, StringComparison.Ordinal);
            }
        }
        else
        {
            Assert.Empty(outcome.Errors);
        }

        foreach (string? rule in new[] { c.Finding, c.Warning }.Where(r => r is not null))
        {
            var finding = Assert.Single(outcome.Findings, f => f.Rule == rule);
            Assert.True(where.IsMatch($"{finding.File}:{finding.Line}"), $"'{c.Where}' not in: {finding}");
        }
    }

    private sealed record Outcome(List<EtlException> Errors, List<EtlFinding> Findings);

    // What Export-EtlManifest (render) and Test-EtlProject (lint) each make of the project; anything but an EtlException fails the test.
    private static Outcome RunProject(string skaffold, string? manifest)
    {
        using var project = new TempProject(("skaffold.yaml", skaffold), ("k8s/good.yaml", GoodManifest));
        if (manifest is not null)
        {
            project.Write("k8s/case.yaml", manifest);
        }

        var errors = new List<EtlException>();
        var findings = new List<EtlFinding>();
        SkaffoldProject loaded;
        try
        {
            loaded = SkaffoldProject.Load(project.Directory, new ProjectContext("render", kubeContext: "none"));
        }
        catch (EtlException ex)
        {
            errors.Add(ex);
            return new Outcome(errors, findings);
        }

        foreach (var profile in loaded.Effective(null))
        {
            try
            {
                new ManifestRenderer(new Dictionary<string, string>(), new ProjectContext("render", kubeContext: "none"), _ => { }).Render(profile, default);
            }
            catch (EtlException ex)
            {
                errors.Add(ex);
            }

            try
            {
                findings.AddRange(ProjectLinter.Lint(profile, loaded.Warnings));
            }
            catch (EtlException ex) when (errors.Any(e => e.Code == ex.Code))
            {
                // The same file error as the render's: Test-EtlProject reports it as an error record.
            }
        }

        return new Outcome(errors, findings);
    }

    private static async Task<Outcome> RunKubeconfigAsync(string path)
    {
        var errors = new List<EtlException>();
        try
        {
            using var client = KubeClient.Connect(path);
            await client.SendAsync(HttpMethod.Get, "/api");
        }
        catch (EtlException ex)
        {
            errors.Add(ex);
        }

        return new Outcome(errors, []);
    }
}
