namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// Where a running event source puts each event (the local event bus). An exception is a failed dispatch: a webhook
/// answers 500, as upstream does when the event bus rejects an event.
/// </summary>
public delegate ValueTask LocalEventSink(LocalEvent localEvent, CancellationToken cancellationToken);
