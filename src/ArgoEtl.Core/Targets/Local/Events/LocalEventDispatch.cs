using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// How every pushed event source hands an event on (upstream's dispatch): the definition's metadata added to the
/// event data, the sink called, and a failure logged rather than thrown, so one bad event does not stop the source.
/// </summary>
internal static class LocalEventDispatch
{
    /// <summary>Sends <paramref name="data"/> (its "metadata" added when the definition has some); false when the sink failed.</summary>
    public static async Task<bool> SendAsync(EventSourceDefinition definition, JsonObject data, LocalEventSink sink, LocalEventSourceOptions options, CancellationToken cancellationToken)
    {
        if (definition.MetadataJson() is { } metadata)
        {
            data["metadata"] = metadata;
        }

        try
        {
            await sink(new LocalEvent(definition.NewContext(), data), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            options.Verbose?.Invoke($"{definition}: the event was not dispatched: {ex.Message}");
            return false;
        }
    }
}
