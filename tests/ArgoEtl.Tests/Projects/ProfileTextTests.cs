using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Projects;

/// <summary>What views and Format-List print for a profile's records: readable, and never a build arg's or Helm value's value.</summary>
public sealed class ProfileTextTests
{
    [Fact]
    public void Build_args_and_helm_values_print_by_name_only()
    {
        string secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var artifact = new EtlArtifact("etl", "src", "Docker", "Dockerfile", new Dictionary<string, string> { ["NPM_TOKEN"] = secret, ["VERSION"] = "1" });
        var release = new EtlHelmRelease("minio", "charts/minio", null, null, "5.0.0", "etl", ["values.yaml"],
            new Dictionary<string, string> { ["rootPassword"] = secret }, new Dictionary<string, string> { ["image"] = "{{.IMAGE_FULLY_QUALIFIED_etl}}" }, Wait: true);

        Assert.Equal("etl (Docker in src, Dockerfile, buildArgs NPM_TOKEN VERSION)", artifact.ToString());
        Assert.Equal("minio (charts/minio 5.0.0 in etl, values values.yaml, set rootPassword, setValueTemplates image)", release.ToString());
        Assert.DoesNotContain(secret, artifact.ToString() + release.ToString(), StringComparison.Ordinal);
    }
}
