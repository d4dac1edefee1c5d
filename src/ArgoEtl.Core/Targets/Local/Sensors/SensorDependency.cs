namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A Sensor dependency: the events of <paramref name="EventSourceName"/>/<paramref name="EventName"/> that pass <paramref name="Filters"/>.</summary>
/// <param name="Pointer">JSON Pointer of the dependency in the Sensor, for file:line.</param>
public sealed record SensorDependency(string Name, string EventSourceName, string EventName, DependencyFilters? Filters, LogicalOperator FiltersLogicalOperator, string Pointer)
{
    public bool Accepts(Events.LocalEvent localEvent) =>
        localEvent is not null && localEvent.EventSourceName == EventSourceName && localEvent.EventName == EventName;
}
