namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A dependency's filters (upstream EventDependencyFilter); a null group is absent.</summary>
public sealed record DependencyFilters(
    IReadOnlyList<DataFilter>? Data,
    IReadOnlyList<ExprFilter>? Exprs,
    ContextFilter? Context,
    TimeFilter? Time,
    LogicalOperator DataLogicalOperator,
    LogicalOperator ExprLogicalOperator);
