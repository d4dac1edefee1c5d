namespace ArgoEtl.Core.Lint;

public enum FindingSeverity
{
    Error,
    Warning,
    Information,
}

/// <summary>A mistake Test-EtlProject found before the cluster would: which rule, how bad, where, and what to do.</summary>
public sealed class EtlFinding
{
    public required string Rule { get; init; }

    public required FindingSeverity Severity { get; init; }

    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary>Kind/name of the object, when the finding is inside one.</summary>
    public string? Object { get; init; }

    public required string Message { get; init; }

    public required string Suggestion { get; init; }

    public override string ToString() => $"{File}:{Line}: {Severity.ToString().ToLowerInvariant()} {Rule}: {Message}";
}
