using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Expressions;
using ArgoEtl.Core.Targets.Local.Sensors.Paths;
using ArgoEtl.Core.Targets.Local.Sensors.Templates;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// A dependency's filters over one event with argo-events' semantics (pkg/sensors/dependencies/filter.go): data, exprs,
/// context and time groups; within data and exprs, "and" needs every filter to pass (the first failure or error
/// decides) and "or" any (errors count only when none passes); across groups, "and" needs all, "or" any present group —
/// and, as upstream, any group error makes an "or" fail too. Every filter is evaluated for the report, even after the
/// verdict is known.
/// </summary>
public static class FilterEvaluator
{
    private enum State
    {
        Pass,
        Fail,
        Error,
        Skip,
    }

    public static DependencyEvaluation Evaluate(SensorDependency dependency, LocalEvent localEvent)
    {
        ArgumentNullException.ThrowIfNull(dependency);
        ArgumentNullException.ThrowIfNull(localEvent);
        var filters = dependency.Filters;
        if (filters is null)
        {
            return new DependencyEvaluation(dependency.Name, localEvent, true, [], "no filters");
        }

        var outcomes = new List<FilterOutcome>();
        var data = localEvent.Data;
        (bool Pass, bool Error)? dataGroup = null, exprGroup = null, contextGroup = null, timeGroup = null;
        if (filters.Exprs is not null)
        {
            exprGroup = data is null
                ? Note(outcomes, "exprs", "the event has no data; upstream lets expr filters pass")
                : Combine(filters.Exprs.Select((f, i) => Expr(f, i, data)).ToList(), filters.ExprLogicalOperator, outcomes);
        }

        if (filters.Data is not null && filters.Data.Count > 0)
        {
            dataGroup = data is null
                ? Note(outcomes, "data", "the event has no data; upstream lets data filters pass")
                : Combine(filters.Data.Select((f, i) => Data(f, i, data)).ToList(), filters.DataLogicalOperator, outcomes);
        }

        if (filters.Context is not null)
        {
            var outcome = Context(filters.Context, localEvent.Context);
            outcomes.Add(outcome);
            contextGroup = (outcome.Passed, false);
        }

        if (filters.Time is not null)
        {
            var outcome = Time(filters.Time, localEvent.Context.Time);
            outcomes.Add(outcome);
            timeGroup = (outcome.Passed, outcome.IsError);
        }

        var groups = new[] { exprGroup, dataGroup, contextGroup, timeGroup }.Where(g => g is not null).Select(g => g!.Value).ToList();
        bool anyError = groups.Any(g => g.Error);
        bool passed = dependency.FiltersLogicalOperator == LogicalOperator.Or
            ? !anyError && groups.Any(g => g.Pass)
            : !anyError && groups.All(g => g.Pass);
        string reason = passed
            ? "all filters passed" + (dependency.FiltersLogicalOperator == LogicalOperator.Or ? " (or: at least one group)" : string.Empty)
            : anyError
                ? "a filter failed with an error: " + string.Join("; ", outcomes.Where(o => o.IsError).Select(o => $"{o.Filter}: {o.Reason}"))
                : "filters did not pass: " + string.Join("; ", outcomes.Where(o => !o.Passed).Select(o => $"{o.Filter}: {o.Reason}"));
        return new DependencyEvaluation(dependency.Name, localEvent, passed, outcomes, reason);
    }

    private static (bool, bool) Note(List<FilterOutcome> outcomes, string filter, string reason)
    {
        outcomes.Add(new FilterOutcome(filter, true, false, reason));
        return (true, false);
    }

    private static (bool Pass, bool Error) Combine(List<(FilterOutcome Outcome, State State)> results, LogicalOperator op, List<FilterOutcome> outcomes)
    {
        outcomes.AddRange(results.Select(r => r.Outcome));
        if (op == LogicalOperator.And)
        {
            foreach (var (_, state) in results)
            {
                if (state is State.Fail or State.Error)
                {
                    return (false, state == State.Error);
                }
            }

            return (true, false);
        }

        if (results.Any(r => r.State == State.Pass))
        {
            return (true, false);
        }

        return (false, results.Any(r => r.State == State.Error));
    }

    private static (FilterOutcome, State) Data(DataFilter filter, int index, JsonNode data)
    {
        string name = $"data[{index}]";
        var found = GjsonPath.Get(data, filter.Path);
        if (!found.Exists)
        {
            return Error(name, $"path '{filter.Path}' does not exist");
        }

        if (filter.Values.Count == 0)
        {
            return Error(name, "no values specified");
        }

        string text = found.ToString();
        double number = found.ToDouble();
        bool boolean = found.ToBoolean();
        if (filter.Template is not null)
        {
            string output;
            try
            {
                output = GoTemplate.ExecuteWithInput(filter.Template, text);
            }
            catch (GoTemplateException ex)
            {
                return Error(name, $"template '{filter.Template}': {ex.Message}");
            }

            if (output.Length == 0 || output == "<no value>")
            {
                return Error(name, $"template '{filter.Template}' evaluated to empty string or no value");
            }

            // Upstream re-reads the template's output as a JSON string.
            var asString = new GjsonResult(true, JsonValue.Create(output));
            text = output;
            number = asString.ToDouble();
            boolean = asString.ToBoolean();
        }

        string subject = filter.Template is null ? $"'{filter.Path}' = {Show(found)}" : $"template of '{filter.Path}' = \"{text}\"";
        string comparator = filter.Comparator.Length == 0 ? "=" : filter.Comparator;
        switch (filter.Type)
        {
            case "bool":
                foreach (string value in filter.Values)
                {
                    if (!GoFormat.TryParseBool(value, out bool expected))
                    {
                        return Error(name, $"strconv.ParseBool: parsing \"{value}\": invalid syntax");
                    }

                    if (expected == boolean)
                    {
                        return Pass(name, $"{subject} is the bool {value}");
                    }
                }

                return Fail(name, $"{subject} as bool ({(boolean ? "true" : "false")}) is none of [{string.Join(", ", filter.Values)}]");
            case "number":
                foreach (string value in filter.Values)
                {
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double expected))
                    {
                        return Error(name, $"strconv.ParseFloat: parsing \"{value}\": invalid syntax");
                    }

                    bool ok = filter.Comparator switch
                    {
                        ">=" => number >= expected,
                        ">" => number > expected,
                        "<" => number < expected,
                        "<=" => number <= expected,
                        "!=" => number != expected,
                        "=" or "" => number == expected,
                        _ => false,
                    };
                    if (ok)
                    {
                        return Pass(name, $"{subject} {comparator} {value}");
                    }
                }

                return Fail(name, $"{subject} as number ({GoFormat.FormatFloatV(number)}) is not {comparator} any of [{string.Join(", ", filter.Values)}]");
            case "string":
                foreach (string value in filter.Values)
                {
                    Regex regex;
                    try
                    {
                        regex = GoRegex(value);
                    }
                    catch (ArgumentException ex)
                    {
                        return Error(name, $"error parsing regexp '{value}': {ex.Message}");
                    }

                    bool match = regex.IsMatch(text);
                    bool ok = filter.Comparator switch
                    {
                        "=" or "" => match,
                        "!=" => !match,
                        _ => false,
                    };
                    if (ok)
                    {
                        return Pass(name, $"{subject} {(match ? "matches" : "does not match")} /{value}/");
                    }
                }

                return Fail(name, filter.Comparator is "=" or "" or "!="
                    ? $"{subject} {(filter.Comparator == "!=" ? "matches one of" : "matches none of")} [{string.Join(", ", filter.Values.Select(v => "/" + v + "/"))}]"
                    : $"comparator '{filter.Comparator}' never matches a string (only = and != compare strings)");
            default:
                return Error(name, $"unsupported JSON type '{filter.Type}'");
        }
    }

    private static (FilterOutcome, State) Expr(ExprFilter filter, int index, JsonNode data)
    {
        string name = $"exprs[{index}]";
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in filter.Fields)
        {
            var found = GjsonPath.Get(data, field.Path);
            if (!found.Exists)
            {
                return Error(name, $"path '{field.Path}' does not exist");
            }

            parameters[field.Name] = found.ToValue();
        }

        if (parameters.Count == 0)
        {
            return (new FilterOutcome(name, true, false, "no fields: skipped, as upstream does"), State.Skip);
        }

        string values = string.Join(", ", parameters.Select(p => $"{p.Key}={GoValue.ToJson(p.Value)}"));
        try
        {
            object? result = GovaluateExpression.Parse(filter.Expr).Evaluate(parameters);
            return result is true
                ? Pass(name, $"'{filter.Expr}' is true with {values}")
                : Fail(name, $"'{filter.Expr}' is {GoValue.Print(result)} with {values}");
        }
        catch (GovaluateException ex)
        {
            return Error(name, $"'{filter.Expr}': {ex.Message}");
        }
    }

    private static FilterOutcome Context(ContextFilter filter, EventContext context)
    {
        var mismatches = new List<string>();
        void Compare(string field, string? expected, string actual)
        {
            if (!string.IsNullOrEmpty(expected) && expected != actual)
            {
                mismatches.Add($"{field} is '{actual}', not '{expected}'");
            }
        }

        Compare("type", filter.Type, context.Type);
        Compare("subject", filter.Subject, context.Subject);
        Compare("source", filter.Source, context.Source);
        Compare("datacontenttype", filter.DataContentType, context.DataContentType);
        return mismatches.Count == 0
            ? new FilterOutcome("context", true, false, "the event context matches")
            : new FilterOutcome("context", false, false, string.Join("; ", mismatches));
    }

    private static FilterOutcome Time(TimeFilter filter, DateTimeOffset eventTime)
    {
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrEmpty(filter.TimeZone))
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(filter.TimeZone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                return new FilterOutcome("time", false, true, $"unknown time zone '{filter.TimeZone}'");
            }
        }

        var local = TimeZoneInfo.ConvertTime(eventTime, zone);
        if (!TryTimeOfDay(filter.Start, out var start) || !TryTimeOfDay(filter.Stop, out var stop))
        {
            return new FilterOutcome("time", false, true, $"parsing time: start '{filter.Start}' or stop '{filter.Stop}' is not HH:MM:SS");
        }

        DateTimeOffset At(TimeSpan timeOfDay)
        {
            var wall = local.Date + timeOfDay;
            return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        var startAt = At(start);
        var stopAt = At(stop);
        bool passed = startAt < stopAt
            ? eventTime >= startAt && eventTime < stopAt
            : eventTime >= startAt || eventTime < stopAt;
        string when = local.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + (zone == TimeZoneInfo.Utc ? " UTC" : " " + filter.TimeZone);
        string window = startAt < stopAt ? $"[{filter.Start}, {filter.Stop})" : $"[{filter.Start}, {filter.Stop} next day)";
        return new FilterOutcome("time", passed, false, $"event time {when} is {(passed ? "inside" : "outside")} {window}");
    }

    private static bool TryTimeOfDay(string text, out TimeSpan value)
    {
        value = default;
        var m = Regex.Match(text, @"^(\d{1,2}):(\d{2}):(\d{2})$", RegexOptions.None, TimeSpan.FromSeconds(1));
        if (!m.Success)
        {
            return false;
        }

        int h = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), min = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), s = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (h > 23 || min > 59 || s > 59)
        {
            return false;
        }

        value = new TimeSpan(h, min, s);
        return true;
    }

    /// <summary>Go RE2 syntax as .NET reads it: "(?P&lt;name&gt;" named groups become "(?&lt;name&gt;".</summary>
    internal static Regex GoRegex(string pattern) =>
        new(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1));

    private static string Show(GjsonResult found) => found.Type == GjsonType.String ? $"\"{found}\"" : found.Raw;

    private static (FilterOutcome, State) Pass(string name, string reason) => (new FilterOutcome(name, true, false, reason), State.Pass);

    private static (FilterOutcome, State) Fail(string name, string reason) => (new FilterOutcome(name, false, false, reason), State.Fail);

    private static (FilterOutcome, State) Error(string name, string reason) => (new FilterOutcome(name, false, true, reason), State.Error);
}
