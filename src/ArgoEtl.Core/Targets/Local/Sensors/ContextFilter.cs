namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A context filter: each non-empty field must equal the event context's (upstream checks only these four).</summary>
public sealed record ContextFilter(string? Type, string? Subject, string? Source, string? DataContentType);
