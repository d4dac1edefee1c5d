using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>Builds nothing: each build of an artifact gets the next number as its tag (bench.test/app:1, :2, ...).</summary>
internal sealed class FakeArtifactBuilder(TestBench bench) : IArtifactBuilder
{
    private readonly Dictionary<string, int> _builds = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Dependencies(EtlProfile profile, EtlArtifact artifact) => [Path.GetFullPath(Path.Combine(profile.ProjectDirectory, artifact.Context))];

    public async Task<EtlImage> BuildAsync(EtlProfile profile, EtlArtifact artifact, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        await bench.CheckAsync("build", artifact.ImageName, cancellationToken);
        int n;
        lock (_builds)
        {
            n = _builds[artifact.ImageName] = _builds.GetValueOrDefault(artifact.ImageName) + 1;
        }

        string built = $"{artifact.ImageName}:{n}";
        bench.Record(c => c.Built.Add(built), "build " + built);
        return new EtlImage { Artifact = artifact.ImageName, Repository = "bench.test/" + artifact.ImageName, Tag = n.ToString(System.Globalization.CultureInfo.InvariantCulture), Builder = "bench" };
    }
}
