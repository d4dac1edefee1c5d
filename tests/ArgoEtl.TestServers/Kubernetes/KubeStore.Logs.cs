namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>What a container has written so far, whether it has ended, and a task that completes at the next change.</summary>
public sealed record PodLogView(IReadOnlyList<string> Lines, bool Ended, Task Changed);

// Container logs (pods/log): lines a test, or a controller stand-in, writes for a pod's container; a follow read
// streams them until the container ends or the pod goes.
public sealed partial class KubeStore
{
    private readonly Dictionary<(string Namespace, string Pod, string Container), PodLog> _logs = [];

    private sealed class PodLog
    {
        public List<string> Lines { get; } = [];

        public bool Ended { get; set; }

        public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Pulse()
        {
            var previous = Changed;
            Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            previous.TrySetResult();
        }
    }

    /// <summary>Appends lines to a container's log (what the container would print).</summary>
    public void WriteLog(string ns, string pod, string container, params string[] lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        lock (_gate)
        {
            var log = LogOf(ns, pod, container);
            log.Lines.AddRange(lines);
            log.Pulse();
        }
    }

    /// <summary>The container ended: a follow read returns after the last line.</summary>
    public void EndLog(string ns, string pod, string container)
    {
        lock (_gate)
        {
            var log = LogOf(ns, pod, container);
            log.Ended = true;
            log.Pulse();
        }
    }

    public PodLogView ReadLog(string ns, string pod, string container)
    {
        lock (_gate)
        {
            var log = LogOf(ns, pod, container);
            return new PodLogView([.. log.Lines], log.Ended, log.Changed.Task);
        }
    }

    private void EndLogs(string ns, string pod)
    {
        foreach (var log in _logs.Where(l => l.Key.Namespace == ns && l.Key.Pod == pod).ToList())
        {
            log.Value.Ended = true;
            log.Value.Pulse();
        }
    }

    private PodLog LogOf(string ns, string pod, string container)
    {
        if (!_logs.TryGetValue((ns, pod, container), out var log))
        {
            log = new PodLog();
            _logs[(ns, pod, container)] = log;
        }

        return log;
    }
}
