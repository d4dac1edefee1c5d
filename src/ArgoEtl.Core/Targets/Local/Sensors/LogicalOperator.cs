namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>How a group of filters combines (upstream LogicalOperator: "and" — the default when empty — or "or").</summary>
public enum LogicalOperator
{
    And,
    Or,
}
