namespace ArgoEtl.Etl.Transform;

/// <summary>Progress of one conversion, reported a few times a second.</summary>
public sealed record TransformProgress(string Input, long BytesRead, long? TotalBytes, long Rows);
