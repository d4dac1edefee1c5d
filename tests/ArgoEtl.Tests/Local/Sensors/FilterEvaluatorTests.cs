using ArgoEtl.Core.Targets.Local.Sensors;

namespace ArgoEtl.Tests.Local.Sensors;

/// <summary>
/// Dependency filters, table-driven from argo-events pkg/sensors/dependencies/filter_*_test.go and
/// docs/sensors/filters/*.md. Each result says which filter failed and why.
/// </summary>
public sealed class FilterEvaluatorTests
{
    private static DataFilter D(string path, string type, string[] values, string comparator = "", string? template = null) =>
        new(path, type, values, comparator, template, "/f");

    private static SensorDependency Dep(DependencyFilters filters, LogicalOperator op = LogicalOperator.And) =>
        new("dep", "webhook", "example", filters, op, "/spec/dependencies/0");

    private static DependencyFilters DataOnly(LogicalOperator op, params DataFilter[] data) => new(data, null, null, null, op, LogicalOperator.And);

    private static bool Passes(DependencyFilters filters, string? json, LogicalOperator op = LogicalOperator.And, DateTimeOffset? time = null) =>
        FilterEvaluator.Evaluate(Dep(filters, op), SensorFixtures.Event("webhook", "example", json, time)).Passed;

    private const string Nested = """{"k": true, "k1": {"k": 3.14, "k2": "hello, world"}}""";

    public static TheoryData<string, DataFilter[], LogicalOperator, string?, bool> DataCases() => new()
    {
        { "empty data", [D("k", "string", ["v"])], LogicalOperator.And, null, true },
        { "invalid filter path", [D("", "string", ["v"])], LogicalOperator.And, """{"k": "v"}""", false },
        { "invalid filter type", [D("k", "", ["v"])], LogicalOperator.And, """{"k": "v"}""", false },
        { "invalid filter values", [D("k", "string", [])], LogicalOperator.And, """{"k": "v"}""", false },
        { "string filter", [D("k", "string", ["v"])], LogicalOperator.And, """{"k": "v"}""", true },
        { "string filter EqualTo", [D("k", "string", ["v"], "=")], LogicalOperator.And, """{"k": "v"}""", true },
        { "string filter NotEqualTo", [D("k", "string", ["b"], "!=")], LogicalOperator.And, """{"k": "v"}""", true },
        { "number filter (data: string)", [D("k", "number", ["1.0"])], LogicalOperator.And, """{"k": "1.0"}""", true },
        { "GreaterThan (data: string)", [D("k", "number", ["1.0"], ">")], LogicalOperator.And, """{"k": "2.0"}""", true },
        { "LessThanOrEqualTo false (data: string)", [D("k", "number", ["1.0"], "<=")], LogicalOperator.And, """{"k": "2.0"}""", false },
        { "NotEqualTo false (data: string)", [D("k", "number", ["1.0"], "!=")], LogicalOperator.And, """{"k": "1.0"}""", false },
        { "EqualTo (data: string)", [D("k", "number", ["5.0"], "=")], LogicalOperator.And, """{"k": "5.0"}""", true },
        { "number filter (data: number)", [D("k", "number", ["1.0"])], LogicalOperator.And, """{"k": 1.0}""", true },
        { "GreaterThan (data: number)", [D("k", "number", ["1.0"], ">")], LogicalOperator.And, """{"k": 2.0}""", true },
        { "LessThanOrEqualTo false (data: number)", [D("k", "number", ["1.0"], "<=")], LogicalOperator.And, """{"k": 2.0}""", false },
        { "GreaterThanOrEqualTo (data: number)", [D("k", "number", ["2"], ">=")], LogicalOperator.And, """{"k": 2}""", true },
        { "LessThan (data: number)", [D("k", "number", ["3", "1"], "<")], LogicalOperator.And, """{"k": 2}""", true },
        { "multiple filters false, EMPTY operator", [D("k", "string", ["v"]), D("k1.k", "number", ["2.14"]), D("k1.k2", "string", ["hello,world", "hello there"])], LogicalOperator.And, Nested, false },
        { "multiple filters, AND operator", [D("k", "bool", ["true"]), D("k1.k", "number", ["3.14"]), D("k1.k2", "string", ["hello,world", "hello, world", "hello there"])], LogicalOperator.And, Nested, true },
        { "multiple filters, OR operator", [D("k", "bool", ["false"]), D("k1.k", "number", ["3.14"]), D("k1.k2", "string", ["hello,world", "hello there"])], LogicalOperator.Or, Nested, true },
        { "OR: an error before a pass is dropped", [D("missing", "string", ["x"]), D("k", "bool", ["true"])], LogicalOperator.Or, Nested, true },
        { "OR: none pass", [D("k", "bool", ["false"]), D("k1.k", "number", ["1"])], LogicalOperator.Or, Nested, false },
        { "string regex", [D("k1.k2", "string", ["^hello,\\s+w.*d$"])], LogicalOperator.And, Nested, true },
        { "bool value that is not a bool", [D("k", "bool", ["maybe"])], LogicalOperator.And, Nested, false },
        { "bad regex", [D("k1.k2", "string", ["("])], LogicalOperator.And, Nested, false },
        { "string filter base64, uppercase template", [D("k", "string", ["HELLO WORLD"], "", "{{ b64dec .Input | upper }}")], LogicalOperator.And, """{"k": "aGVsbG8gd29ybGQ="}""", true },
        { "number after base64 template", [D("k", "number", ["3.13"], ">", "{{ b64dec .Input }}")], LogicalOperator.And, """{"k": "My4xNA=="}""", true },
        { "base64 template, comparator not equal", [D("k", "string", ["hello world"], "!=", "{{ b64dec .Input }}")], LogicalOperator.And, """{"k": "aGVsbG8gd29ybGQ="}""", false },
        { "template evaluating to empty", [D("k", "string", [".*"], "", "{{ if false }}x{{ end }}")], LogicalOperator.And, """{"k": "v"}""", false },
        // docs/sensors/filters/data.md
        { "docs: body.value > 50", [D("body.value", "number", ["50"], ">")], LogicalOperator.And, """{"header": {}, "body": {"value": 51}}""", true },
        { "docs: body.value > 50, too small", [D("body.value", "number", ["50"], ">")], LogicalOperator.And, """{"header": {}, "body": {"value": 50}}""", false },
        { "docs: string list", [D("body.message", "string", ["hello", "hey"])], LogicalOperator.And, """{"body": {"message": "hey there"}}""", true },
    };

    [Theory]
    [MemberData(nameof(DataCases))]
    public void Data_filters_match_upstream(string name, DataFilter[] data, LogicalOperator op, string? json, bool expected)
    {
        Assert.True(expected == Passes(DataOnly(op, data), json), name);
    }

    [Fact]
    public void A_failing_data_filter_says_which_and_why()
    {
        var result = FilterEvaluator.Evaluate(Dep(DataOnly(LogicalOperator.And, D("k", "string", ["v"]), D("k1.k", "number", ["3"], ">="), D("k1.nope", "string", ["x"]))),
            SensorFixtures.Event("webhook", "example", Nested));

        Assert.False(result.Passed);
        Assert.Equal(["data[0]", "data[1]", "data[2]"], result.Filters.Select(f => f.Filter));
        Assert.False(result.Filters[0].Passed);
        Assert.Contains("matches none of", result.Filters[0].Reason, StringComparison.Ordinal);
        Assert.True(result.Filters[1].Passed);
        Assert.True(result.Filters[2].IsError);
        Assert.Contains("path 'k1.nope' does not exist", result.Filters[2].Reason, StringComparison.Ordinal);
        Assert.Contains("data[0]", result.Reason, StringComparison.Ordinal);
    }

    private static ExprFilter E(string expr, params (string Name, string Path)[] fields) =>
        new(expr, [.. fields.Select(f => new PayloadField(f.Name, f.Path))], "/e");

    public static TheoryData<string, ExprFilter[], LogicalOperator, string, bool> ExprCases() => new()
    {
        { "docs: a == b || c != 10", [E("a == \"b\" || c != 10", ("a", "a"), ("c", "c"))], LogicalOperator.And, """{"a": "b", "c": 11, "d": {"e": true}}""", true },
        { "docs: e == false with e true", [E("e == false", ("e", "d.e"))], LogicalOperator.And, """{"a": "b", "c": 11, "d": {"e": true}}""", false },
        { "docs: e == false", [E("e == false", ("e", "d.e"))], LogicalOperator.And, """{"a": "b", "c": 11, "d": {"e": false}}""", true },
        { "docs: or of both", [E("a == \"b\" || c != 10", ("a", "a"), ("c", "c")), E("e == false", ("e", "d.e"))], LogicalOperator.Or, """{"a": "b", "c": 11, "d": {"e": true}}""", true },
        { "and of both", [E("a == \"b\" || c != 10", ("a", "a"), ("c", "c")), E("e == false", ("e", "d.e"))], LogicalOperator.And, """{"a": "b", "c": 11, "d": {"e": true}}""", false },
        { "missing path", [E("x == 1", ("x", "nope"))], LogicalOperator.And, """{"a": 1}""", false },
        { "a number against a string", [E("a > 1", ("a", "a"))], LogicalOperator.And, """{"a": "b"}""", false },
        { "regex", [E("action =~ \"start\"", ("action", "body.action"))], LogicalOperator.And, """{"body": {"action": "restarted"}}""", true },
        { "no fields: skipped", [E("true")], LogicalOperator.And, """{"a": 1}""", true },
        { "a non-bool result", [E("a + 1", ("a", "a"))], LogicalOperator.And, """{"a": 1}""", false },
    };

    [Theory]
    [MemberData(nameof(ExprCases))]
    public void Expr_filters_match_upstream(string name, ExprFilter[] exprs, LogicalOperator op, string json, bool expected)
    {
        Assert.True(expected == Passes(new DependencyFilters(null, exprs, null, null, LogicalOperator.And, op), json), name);
    }

    public static TheoryData<string, ContextFilter, bool> ContextCases() => new()
    {
        { "all match", new ContextFilter("webhook", "example", "webhook", "application/json"), true },
        { "type differs", new ContextFilter("calendar", null, null, null), false },
        { "only source", new ContextFilter(null, null, "webhook", null), true },
        { "subject differs", new ContextFilter(null, "other", null, null), false },
    };

    [Theory]
    [MemberData(nameof(ContextCases))]
    public void Context_filters_match_upstream(string name, ContextFilter context, bool expected)
    {
        Assert.True(expected == Passes(new DependencyFilters(null, null, context, null, LogicalOperator.And, LogicalOperator.And), "{}"), name);
    }

    public static TheoryData<string, string, string, string, string?, bool> TimeCases() => new()
    {
        // filter_time_test.go: start inclusive, stop exclusive; stop before start crosses midnight.
        { "inside", "09:09:09", "19:19:19", "2024-05-06T10:10:10Z", null, true },
        { "at start", "09:09:09", "19:19:19", "2024-05-06T09:09:09Z", null, true },
        { "at stop", "09:09:09", "19:19:19", "2024-05-06T19:19:19Z", null, false },
        { "before start", "09:09:09", "19:19:19", "2024-05-06T08:08:08Z", null, false },
        { "across midnight, late", "19:19:19", "09:09:09", "2024-05-06T20:20:20Z", null, true },
        { "across midnight, early", "19:19:19", "09:09:09", "2024-05-06T08:08:08Z", null, true },
        { "across midnight, outside", "19:19:19", "09:09:09", "2024-05-06T10:10:10Z", null, false },
        { "a bad time", "9am", "19:19:19", "2024-05-06T10:10:10Z", null, false },
        { "in a time zone", "09:00:00", "17:00:00", "2024-05-06T07:30:00Z", "Europe/Berlin", true },
        { "outside in a time zone", "09:00:00", "17:00:00", "2024-05-06T15:30:00Z", "Europe/Berlin", false },
    };

    [Theory]
    [MemberData(nameof(TimeCases))]
    public void Time_filters_match_upstream(string name, string start, string stop, string at, string? zone, bool expected)
    {
        var filters = new DependencyFilters(null, null, null, new TimeFilter(start, stop, zone), LogicalOperator.And, LogicalOperator.And);

        Assert.True(expected == Passes(filters, "{}", time: DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)), name);
    }

    private const string Advanced = """{ "a": "x", "b": 10, "c": { "d": "hello world", "e": false } }""";

    public static TheoryData<string, DependencyFilters, LogicalOperator, bool> AdvancedCases() => new()
    {
        // filter_test.go "test advanced logic" (the verdict of Filter(), where an error is always a rejection).
        { "(A && B) && (C && D)", new([D("a", "string", ["x"]), D("b", "number", ["10"])], [E("d == \"hello world\"", ("d", "c.d")), E("e == false", ("e", "c.e"))], null, null, LogicalOperator.And, LogicalOperator.And), LogicalOperator.And, true },
        { "(A && B) && (C && D) with error", new([D("z", "string", ["x"]), D("b", "number", ["10"])], [E("d == \"hello world\"", ("d", "c.d")), E("e == false\"", ("e", "c.e"))], null, null, LogicalOperator.And, LogicalOperator.And), LogicalOperator.And, false },
        { "(A && B) || (C && D)", new([D("a", "string", ["x"]), D("b", "number", ["10"])], [E("d == \"hello world\"", ("d", "c.d")), E("e == true", ("e", "c.e"))], null, null, LogicalOperator.And, LogicalOperator.And), LogicalOperator.Or, true },
        { "(A || B) && (C || D)", new([D("a", "string", ["x"]), D("b", "number", ["11"])], [E("d == \"hello world\"", ("d", "c.d")), E("e == true", ("e", "c.e"))], null, null, LogicalOperator.Or, LogicalOperator.Or), LogicalOperator.And, true },
        { "or with only false filters", new([D("a.d.e.f", "string", ["not-valid"]), D("a.h.i", "string", ["not-valid", "not-valid-2"])], [E("A == \"not-valid\"", ("A", "a.b"))], null, null, LogicalOperator.And, LogicalOperator.And), LogicalOperator.Or, false },
        { "empty filters", new(null, null, null, null, LogicalOperator.And, LogicalOperator.And), LogicalOperator.And, true },
        { "time filter that does not parse", new(null, null, null, new TimeFilter("09:09:0", "19:19:19", null), LogicalOperator.And, LogicalOperator.And), LogicalOperator.And, false },
    };

    [Theory]
    [MemberData(nameof(AdvancedCases))]
    public void Filters_logical_operators_combine_like_upstream(string name, DependencyFilters filters, LogicalOperator op, bool expected)
    {
        string json = name.StartsWith("or with", StringComparison.Ordinal) ? """{"a": {"b": "c", "d": {"e": {"f": "g"}}, "h": {"i": "j"}}}""" : Advanced;

        Assert.True(expected == Passes(filters, json, op), name);
    }

    [Fact]
    public void Filters_logical_operator_or_passes_on_any_group_but_fails_on_any_error()
    {
        var dataFails = new[] { D("k", "string", ["nope"]) };
        var contextPasses = new ContextFilter("webhook", null, null, null);
        var filters = new DependencyFilters(dataFails, null, contextPasses, null, LogicalOperator.And, LogicalOperator.And);

        Assert.False(Passes(filters, """{"k": "v"}"""));
        Assert.True(Passes(filters, """{"k": "v"}""", LogicalOperator.Or));

        // filter.go: in "or" mode a group that errs (a missing path) makes the whole dependency fail.
        var erring = filters with { Data = [D("missing", "string", ["v"])] };
        Assert.False(Passes(erring, """{"k": "v"}""", LogicalOperator.Or));
    }
}
