using ArgoEtl.Core.Targets.Local.Events;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// A dependency against an event: <paramref name="Event"/> is null when no event for it was given; <paramref name="Passed"/>
/// is upstream's verdict over all its filters, <paramref name="Filters"/> the verdict of each.
/// </summary>
public sealed record DependencyEvaluation(string Dependency, LocalEvent? Event, bool Passed, IReadOnlyList<FilterOutcome> Filters, string Reason)
{
    // Records print collections by their type name; a dry-run report shows each filter's verdict instead.
    public override string ToString() =>
        $"{Dependency}: {(Passed ? "passed" : "not passed")} ({Reason}){(Filters.Count == 0 ? string.Empty : $" [{string.Join("; ", Filters)}]")}";

    public static DependencyEvaluation NoEvent(SensorDependency dependency) =>
        new(dependency?.Name ?? string.Empty, null, false, [], $"no event from {dependency?.EventSourceName}/{dependency?.EventName}");
}
