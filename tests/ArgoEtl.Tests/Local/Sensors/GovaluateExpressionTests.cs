using ArgoEtl.Core.Targets.Local.Sensors;
using ArgoEtl.Core.Targets.Local.Expressions;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>govaluate as expr filters and trigger conditions use it (docs/sensors/filters/expr.md, govaluate's MANUAL).</summary>
public sealed class GovaluateExpressionTests
{
    private static readonly Dictionary<string, object?> Parameters = new(StringComparer.Ordinal)
    {
        ["a"] = "b", ["c"] = 11.0, ["e"] = false, ["action"] = "started-now", ["started"] = true, ["instances"] = 2.0, ["name"] = "x", ["n"] = null,
    };

    public static TheoryData<string, object?> Cases() => new()
    {
        { "a == \"b\" || c != 10", true },
        { "e == false", true },
        { "action =~ \"start\"", true },
        { "action !~ \"^start$\"", true },
        { "action == \"end\" && started == true", false },
        { "action =~ \"start\" || (started == true && instances == 2)", true },
        { "c > 10 && c <= 11", true },
        { "c + 1 == 12", true },
        { "c * 2 / 4 - 0.5 == 5", true },
        { "c % 3 == 2", true },
        { "2 ** 3 == 8", true },
        { "-c < 0", true },
        { "!(c > 100)", true },
        { "a + c", "b11" },
        { "'single' == 'single'", true },
        { "a > 'a'", true },
        { "c == '11'", false },
        { "n == n", true },
        { "started ? 'yes' : 'no'", "yes" },
        { "n ?? 'default'", "default" },
        { "a IN ('x', 'b')", true },
        { "c IN (1, 2)", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluates_like_govaluate(string expression, object? expected)
    {
        Assert.Equal(expected, GovaluateExpression.Parse(expression).Evaluate(Parameters));
    }

    [Theory]
    [InlineData("missing == 1")]                  // No parameter 'missing' found.
    [InlineData("c && true")]                    // a number with a logical operator
    [InlineData("a > 1")]                        // a string against a number
    [InlineData("a - 1")]
    public void Type_errors_and_missing_parameters_fail(string expression)
    {
        Assert.Throws<GovaluateException>(() => GovaluateExpression.Parse(expression).Evaluate(Parameters));
    }

    [Theory]
    [InlineData("strlen(a) > 1")]
    [InlineData("c & 1")]
    [InlineData("c << 1")]
    public void Functions_and_bitwise_operators_are_unsupported(string expression)
    {
        Assert.True(Assert.Throws<GovaluateException>(() => GovaluateExpression.Parse(expression)).Unsupported);
    }

    [Theory]
    [InlineData("dep-a && dep-b", true, true, true)]
    [InlineData("dep-a && dep-b", true, false, false)]
    [InlineData("dep-a || dep-b", false, true, true)]
    [InlineData("(dep-a || dep-b) && !dep-a", false, true, true)]
    public void Trigger_conditions_over_dashed_dependency_names(string conditions, bool a, bool b, bool expected)
    {
        var satisfied = new HashSet<string>(StringComparer.Ordinal);
        if (a)
        {
            satisfied.Add("dep-a");
        }

        if (b)
        {
            satisfied.Add("dep-b");
        }

        var parsed = TriggerConditions.Parse(conditions);
        Assert.Equal(["dep-a", "dep-b"], parsed.Variables.Order(StringComparer.Ordinal));
        Assert.Equal(expected, TriggerConditions.Holds(parsed, satisfied, ["dep-a", "dep-b"]));
    }
}
