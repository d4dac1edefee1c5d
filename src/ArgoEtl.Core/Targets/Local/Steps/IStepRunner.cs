namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>Runs one container or script step to its exit: as a host process, in a container, or whichever the image calls for.</summary>
public interface IStepRunner
{
    /// <summary>
    /// Runs the step and returns when its process has exited (or was killed at its deadline). A step that cannot start
    /// (image not available, tool missing) throws an <see cref="EtlException"/>; cancellation kills what was started and throws.
    /// </summary>
    Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken);
}
