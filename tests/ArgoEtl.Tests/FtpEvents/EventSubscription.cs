namespace ArgoEtl.Tests.FtpEvents;

/// <summary>One open StartEventSource call, by whichever client: what it received so far, and how it ended.</summary>
public abstract class EventSubscription : IAsyncDisposable
{
    public abstract IReadOnlyList<ReceivedEvent> Events { get; }

    /// <summary>The gRPC status code and detail once the stream ended; null while it is open.</summary>
    public abstract (int Code, string Detail)? Ended { get; }

    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(Func<IReadOnlyList<ReceivedEvent>, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var events = Events;
            if (done(events))
            {
                return events;
            }

            if (Ended is { } end)
            {
                throw new InvalidOperationException($"The stream ended ({end.Code}: {end.Detail}) before {what}; received {events.Count} events.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds}s for {what}; received {events.Count}: {string.Join(", ", events.Select(e => e.File + ":" + e.Kind))}");
            }

            await Task.Delay(50);
        }
    }

    public async Task<(int Code, string Detail)> WaitForEndAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Ended is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The stream did not end within {timeout.TotalSeconds}s; received {Events.Count} events.");
            }

            await Task.Delay(50);
        }

        return Ended.Value;
    }

    public abstract ValueTask DisposeAsync();
}
