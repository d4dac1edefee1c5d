using ArgoEtl.Core.Targets.Local.Events;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// A Sensor receiving events one by one, as its deployment would: per trigger it keeps the latest event that passed each
/// dependency's filters (events that fail are dropped, as upstream drops them); when a trigger's conditions hold it fires
/// and forgets the events it used, so the next firing waits for new ones. Not thread-safe: feed it from one thread.
/// </summary>
public sealed class SensorSession
{
    private readonly SensorEvaluator _evaluator;
    private readonly Dictionary<string, DependencyEvaluation>[] _held;

    public SensorSession(SensorEvaluator evaluator)
    {
        _evaluator = evaluator ?? throw new ArgumentNullException(nameof(evaluator));
        _held = [.. evaluator.Sensor.Triggers.Select(_ => new Dictionary<string, DependencyEvaluation>(StringComparer.Ordinal))];
    }

    public SensorOffer Offer(LocalEvent localEvent)
    {
        ArgumentNullException.ThrowIfNull(localEvent);
        var matched = _evaluator.Match(localEvent);
        var fired = new List<TriggerEvaluation>();
        var triggers = _evaluator.Sensor.Triggers;
        for (int i = 0; i < triggers.Count; i++)
        {
            var relevant = matched.Where(m => m.Passed && triggers[i].Dependencies.Contains(m.Dependency)).ToList();
            if (relevant.Count == 0)
            {
                continue;
            }

            foreach (var evaluation in relevant)
            {
                _held[i][evaluation.Dependency] = evaluation;
            }

            var result = _evaluator.EvaluateTrigger(triggers[i], _held[i]);
            if (result.Fires)
            {
                fired.Add(result);
                _held[i].Clear();
            }
        }

        return new SensorOffer(localEvent, matched, fired);
    }

    /// <summary>Forgets every held event (a restarted Sensor keeps none).</summary>
    public void Reset()
    {
        foreach (var held in _held)
        {
            held.Clear();
        }
    }
}
