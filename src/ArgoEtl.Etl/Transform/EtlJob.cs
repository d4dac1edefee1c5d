using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Transform;

/// <summary>One input to convert and where its results go.</summary>
public sealed record EtlJob
{
    public required ObjectLocation Input { get; init; }

    /// <summary>Where the converted object goes; null derives it from the input (see <see cref="OutputNaming"/>).</summary>
    public ObjectLocation? Output { get; init; }

    /// <summary>A local file that also receives the output (what an Argo output artifact reads, e.g. /tmp/output.parquet).</summary>
    public string? LocalOutput { get; init; }

    /// <summary>Where rejected rows go under Skip; null puts them beside the output as &lt;output&gt;.rejects.ndjson.</summary>
    public ObjectLocation? Rejects { get; init; }

    public string? OutputKeyTemplate { get; init; }

    public TransformOptions Transform { get; init; } = new();

    /// <summary>The output location this job will write.</summary>
    public ObjectLocation ResolveOutput() => Output ?? OutputNaming.Derive(Input, Transform.Format, OutputKeyTemplate);

    public ObjectLocation ResolveRejects()
    {
        if (Rejects is not null)
        {
            return Rejects;
        }

        var output = ResolveOutput();
        return output.WithPath(output.Path + ".rejects.ndjson");
    }
}
