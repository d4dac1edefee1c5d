using ArgoEtl.Core.Targets.Local.Events;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>What one event did to a <see cref="SensorSession"/>: its dependencies' filter verdicts and the triggers that fired.</summary>
public sealed record SensorOffer(LocalEvent Event, IReadOnlyList<DependencyEvaluation> Dependencies, IReadOnlyList<TriggerEvaluation> Fired);
