namespace ArgoEtl.Core.Dev;

/// <summary>
/// Reports the deployed pipeline's Workflow runs as they change phase ("run" events carrying an EtlWorkflowRun), from
/// the first successful deploy until the loop ends; not turned off with the logs.
/// </summary>
public interface IWorkflowRunWatcher
{
    Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken);

    Task StopAsync();
}
