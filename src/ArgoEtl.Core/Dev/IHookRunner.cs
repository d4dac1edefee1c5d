using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// Runs a profile's hooks of one phase. The host runner runs skaffold.yaml's host commands; a cmdlet may put its own
/// runner in front (PowerShell scriptblock hooks) and call the host runner from it.
/// </summary>
public interface IHookRunner
{
    /// <summary>
    /// Runs the phase's hooks in order. A failing before/after hook is an EtlException (the deploy is skipped); a
    /// failing cleanup hook is reported as an "error" event and the others still run.
    /// </summary>
    Task RunAsync(HookPhase phase, EtlProfile profile, IProgress<DevEvent> progress, CancellationToken cancellationToken);

    /// <summary>
    /// The same for a running session, whose deployed objects a hook may read and whose template values it may set (what
    /// the dev loop calls). A runner that knows only profiles has nothing to run before rendering.
    /// </summary>
    Task RunAsync(HookPhase phase, DevSession session, IProgress<DevEvent> progress, CancellationToken cancellationToken) =>
        phase == HookPhase.BeforeRender ? Task.CompletedTask : RunAsync(phase, (session ?? throw new ArgumentNullException(nameof(session))).Profile, progress, cancellationToken);
}
