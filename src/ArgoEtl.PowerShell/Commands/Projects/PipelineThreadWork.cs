using System.Collections.ObjectModel;
using System.Management.Automation;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// Script work the dev loop's background task hands to the pipeline thread (the only thread that may run scripts in
/// the caller's runspace): it travels as a DevEvent's item and Start-EtlDev's progress pump runs it.
/// </summary>
internal sealed class PipelineThreadWork(Func<Collection<PSObject>> work)
{
    private readonly TaskCompletionSource<IReadOnlyList<PSObject>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<IReadOnlyList<PSObject>> Completion => _done.Task;

    /// <summary>Runs the work on the calling (pipeline) thread; its result or failure completes <see cref="Completion"/>.</summary>
    public void Run()
    {
        try
        {
            _done.TrySetResult([.. work()]);
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
        }
    }
}
