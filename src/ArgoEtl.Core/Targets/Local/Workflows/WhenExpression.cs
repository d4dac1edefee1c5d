using ArgoEtl.Core.Targets.Local.Expressions;
using ArgoEtl.Core.Targets.Local.Sensors;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>
/// Argo Workflows' `when`: govaluate (the language Sensors' expr filters use, <see cref="GovaluateExpression"/>),
/// read after {{variables}} are substituted, with no parameters, and true or false as its only valid results.
/// </summary>
internal static class WhenExpression
{
    private static readonly Dictionary<string, object?> NoParameters = [];

    /// <summary>Whether <paramref name="text"/> holds; throws LocalBadWhen naming the expression when it cannot be read.</summary>
    public static bool Evaluate(string text)
    {
        object? value;
        try
        {
            value = GovaluateExpression.ParseWhen(text).Evaluate(NoParameters);
        }
        catch (GovaluateException ex)
        {
            throw Bad(text, ex.Message);
        }

        return value is bool b ? b : throw Bad(text, $"the result '{GoValue.Print(value)}' is not true or false");
    }

    private static EtlException Bad(string text, string why) => new(EtlErrors.LocalBadWhen, $"when '{text}' cannot be evaluated: {why}.",
        "Write comparisons like \"{{steps.a.outputs.result}} == heads\" or \"{{inputs.parameters.n}} > 3\", joined with && || !.", text);
}
