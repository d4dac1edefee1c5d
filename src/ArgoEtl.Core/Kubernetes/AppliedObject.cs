namespace ArgoEtl.Core.Kubernetes;

/// <summary>What happened to one object: created, configured, unchanged, deleted, or (with -WhatIf) planned.</summary>
public sealed class AppliedObject
{
    public required string Kind { get; init; }

    public string? ApiVersion { get; init; }

    public required string Name { get; init; }

    public string? Namespace { get; init; }

    public required string Action { get; init; }

    /// <summary>The component it belongs to (e.g. ArgoEvents, ObjectStore), or the project.</summary>
    public string? Component { get; init; }

    /// <summary>The argoetl.io/project label it carries (a dev session's "dev-&lt;name&gt;"): pipes into Remove-EtlDeployment by property name.</summary>
    public string? Project { get; init; }

    public override string ToString() => $"{Kind}/{Name}{(Namespace is null ? string.Empty : $" -n {Namespace}")}: {Action}";
}
