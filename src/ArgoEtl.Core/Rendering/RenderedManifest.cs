namespace ArgoEtl.Core.Rendering;

/// <summary>One rendered Kubernetes object: what it is, where it came from (file:line), and its YAML.</summary>
public sealed class RenderedManifest
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }

    public string? Namespace { get; init; }

    /// <summary>file:line of the document it was rendered from (for Helm: the release and chart).</summary>
    public required string Source { get; init; }

    /// <summary>The profile it was rendered for.</summary>
    public required string Profile { get; init; }

    public required string Yaml { get; init; }

    public override string ToString() => $"{Kind}/{Name}";
}
