using System.Collections.Concurrent;
using System.Management.Automation;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// Base for ArgoEtl cmdlets: a cancellation token that Ctrl+C (StopProcessing) trips, and a way to run core work on a
/// background task while its progress and messages are written from the pipeline thread, as PowerShell requires.
/// </summary>
public abstract class EtlCmdlet : PSCmdlet, IDisposable, IDynamicParameters
{
    private readonly CancellationTokenSource _stop = new();
    private RuntimeDefinedParameterDictionary? _bundled;
    private bool _disposed;

    /// <summary>Canceled when the user presses Ctrl+C or the pipeline is stopped (the same role as PowerShell 7.6's PipelineStopToken, which PowerShellStandard does not expose).</summary>
    protected CancellationToken PipelineStopToken => _stop.Token;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The parameters of this cmdlet's <see cref="Bundles"/>, for PowerShell to bind.</summary>
    public object? GetDynamicParameters()
    {
        if (_bundled is null)
        {
            _bundled = [];
            foreach (var bundle in Bundles)
            {
                foreach (var parameter in bundle.Declare(_bundled))
                {
                    _bundled.Add(parameter.Name, parameter);
                }
            }
        }

        return _bundled.Count == 0 ? null : _bundled;
    }

    /// <summary>The parameter groups this cmdlet offers besides its own (see <see cref="ParameterBundle"/>).</summary>
    protected virtual IEnumerable<ParameterBundle> Bundles => [];

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// Runs <paramref name="work"/> off the pipeline thread and pumps its progress reports to <paramref name="onProgress"/>
    /// on this thread until it finishes. Core exceptions come back unchanged; cancellation becomes PipelineStoppedException.
    /// </summary>
    protected T RunWithProgress<T, TProgress>(Func<IProgress<TProgress>, CancellationToken, Task<T>> work, Action<TProgress> onProgress)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(onProgress);
        using var reports = new BlockingCollection<TProgress>();
        var progress = new QueueProgress<TProgress>(reports);
        var task = Task.Run(() => work(progress, PipelineStopToken), PipelineStopToken);
        while (!task.IsCompleted)
        {
            if (reports.TryTake(out var report, 100))
            {
                onProgress(report);
            }
        }

        while (reports.TryTake(out var last))
        {
            onProgress(last);
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (PipelineStopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>Runs core work off the pipeline thread until it ends or Ctrl+C; errors come back as they are.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work) =>
        RunWithProgress<T, object>((_, ct) => work(ct), _ => { });

    /// <summary>
    /// Runs core work that reports each step it completes: one verbose line and a progress record per step, against
    /// <paramref name="total"/> expected steps; the progress bar is closed however the work ends.
    /// </summary>
    protected T RunReporting<T, TStep>(string activity, int total, Func<TStep, string> describe, Func<IProgress<TStep>, CancellationToken, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(describe);
        int done = 0;
        var record = new ProgressRecord(activity.GetHashCode(StringComparison.Ordinal) & 0x7FFF_FFFF, activity, "Starting");
        try
        {
            return RunWithProgress(work, step =>
            {
                done++;
                string text = describe(step);
                WriteVerbose(text);
                record.StatusDescription = text;
                record.PercentComplete = Math.Min(100, done * 100 / Math.Max(1, total));
                WriteProgress(record);
            });
        }
        finally
        {
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _stop.Dispose();
        }

        _disposed = true;
    }

    /// <summary>IProgress that only queues; Progress&lt;T&gt; would post to a thread PowerShell does not pump.</summary>
    private sealed class QueueProgress<TProgress>(BlockingCollection<TProgress> queue) : IProgress<TProgress>
    {
        public void Report(TProgress value) => queue.TryAdd(value);
    }
}
