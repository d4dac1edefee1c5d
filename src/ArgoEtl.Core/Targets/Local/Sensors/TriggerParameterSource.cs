namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>Where a trigger parameter's value comes from (upstream TriggerParameterSource).</summary>
/// <param name="Value">The default: used when nothing else resolves, or alone when no key or template is given.</param>
public sealed record TriggerParameterSource(
    string DependencyName,
    string? ContextKey,
    string? ContextTemplate,
    string? DataKey,
    string? DataTemplate,
    string? Value,
    bool UseRawData);
