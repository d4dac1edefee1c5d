namespace ArgoEtl.Etl.Transform;

/// <summary>The outcome of converting one input: what was read, what was written, how much, how long.</summary>
public sealed record EtlResult
{
    public required string Input { get; init; }

    public required string Output { get; init; }

    public string? LocalOutput { get; init; }

    /// <summary>Where rejected rows were written, or null when none were.</summary>
    public string? Rejects { get; init; }

    public required string Format { get; init; }

    public long Rows { get; init; }

    public long RejectedRows { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The schema used, in name:type form.</summary>
    public required string Schema { get; init; }

    public bool SchemaInferred { get; init; }

    /// <summary>For an inferred schema: the schema with the reason beside each column kept as a string though it looks numeric, e.g. <c>zip:string (leading zero, line 2)</c>.</summary>
    public string? InferenceReport { get; init; }
}
