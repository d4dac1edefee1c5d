using ArgoEtl.Core.Targets.Local.Expressions;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// A trigger's conditions ("dep-a &amp;&amp; (dep-b || dep-c)") as upstream evaluates them: govaluate over dependency
/// names, '-' escaped first so that names with dashes stay one variable.
/// </summary>
public static class TriggerConditions
{
    /// <exception cref="GovaluateException">The conditions do not parse.</exception>
    public static GovaluateExpression Parse(string conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return GovaluateExpression.Parse(conditions.Replace("-", "\\-", StringComparison.Ordinal));
    }

    /// <summary>Whether the conditions hold given which dependencies have an event that passed their filters.</summary>
    public static bool Holds(GovaluateExpression conditions, IReadOnlySet<string> satisfied, IEnumerable<string> dependencies)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(satisfied);
        var parameters = dependencies.ToDictionary(d => d, d => (object?)satisfied.Contains(d), StringComparer.Ordinal);
        return conditions.Evaluate(parameters) is true;
    }
}
