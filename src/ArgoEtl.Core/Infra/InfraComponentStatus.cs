namespace ArgoEtl.Core.Infra;

/// <summary>One part of the installed platform and whether it is there and working.</summary>
public sealed class InfraComponentStatus
{
    public required string Component { get; init; }

    /// <summary>Healthy, Degraded (there but not working) or Missing.</summary>
    public required string Status { get; init; }

    public int Objects { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public override string ToString() => $"{Component}: {Status}";
}
