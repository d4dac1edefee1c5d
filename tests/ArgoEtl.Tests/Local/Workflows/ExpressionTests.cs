using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Workflows;

namespace ArgoEtl.Tests.Local.Workflows;

public sealed class ExpressionTests
{
    [Theory]
    [InlineData("heads == heads", true)]
    [InlineData("tails == heads", false)]
    [InlineData("'a b' == 'a b'", true)]
    [InlineData("\"x\" != \"y\"", true)]
    [InlineData("5 > 3", true)]
    [InlineData("10 < 9", false)]
    [InlineData("2 >= 2 && 1 <= 0", false)]
    [InlineData("2 >= 2 || 1 <= 0", true)]
    [InlineData("!(1 == 1)", false)]
    [InlineData("3 == '3'", false)]
    [InlineData("file-2024.csv =~ '^file-[0-9]+\\.csv$'", true)]
    [InlineData("abc !~ 'b'", false)]
    [InlineData("true", true)]
    [InlineData("(a == a) && !(b == c)", true)]
    [InlineData("1 + 2 == 3", true)]
    [InlineData("b IN (a, b)", true)]
    [InlineData("3 > 2 ? yes == yes : false", true)]
    public void When_evaluates_like_govaluate_after_substitution(string expression, bool expected) =>
        Assert.Equal(expected, WhenExpression.Evaluate(expression));

    [Theory]
    [InlineData("1 ==")]
    [InlineData("(1 == 1")]
    [InlineData("5 > abc")]
    [InlineData("hello")]
    [InlineData("len(x) > 1")]
    public void A_when_that_cannot_be_read_is_an_error_naming_it(string expression)
    {
        var ex = Assert.Throws<EtlException>(() => WhenExpression.Evaluate(expression));
        Assert.Equal("LocalBadWhen", ex.Code);
        Assert.Contains(expression, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("b", false)]
    [InlineData("b.Failed", true)]
    [InlineData("a && b", false)]
    [InlineData("a && !b.Succeeded", true)]
    [InlineData("s", true)]
    [InlineData("s.Skipped && a.Completed && b.Completed", true)]
    [InlineData("e.Errored && !e.Completed", true)]
    [InlineData("loop.AnySucceeded", true)]
    [InlineData("loop.AllFailed", false)]
    [InlineData("(b.Failed || a.Failed) && o.Omitted", true)]
    public void Depends_follows_enhanced_depends_logic(string expression, bool expected)
    {
        var phases = new Dictionary<string, (EtlRunPhase, IReadOnlyList<EtlRunPhase>)>
        {
            ["a"] = (EtlRunPhase.Succeeded, [EtlRunPhase.Succeeded]),
            ["b"] = (EtlRunPhase.Failed, [EtlRunPhase.Failed]),
            ["s"] = (EtlRunPhase.Skipped, [EtlRunPhase.Skipped]),
            ["e"] = (EtlRunPhase.Error, [EtlRunPhase.Error]),
            ["o"] = (EtlRunPhase.Omitted, [EtlRunPhase.Omitted]),
            ["loop"] = (EtlRunPhase.Failed, [EtlRunPhase.Failed, EtlRunPhase.Succeeded]),
        };
        Assert.Equal(expected, new DependsExpression(expression).Evaluate(t => phases[t]));
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("1m30s", 90)]
    [InlineData("2h", 7200)]
    [InlineData("500ms", 0.5)]
    public void Durations_read_seconds_and_go_syntax(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ArgoDuration.Parse(System.Text.Json.Nodes.JsonValue.Create(text)));
}
