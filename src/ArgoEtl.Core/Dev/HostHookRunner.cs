using System.Runtime.InteropServices;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>
/// Runs deploy.kubectl.hooks host commands on this machine (in the hook's dir, only on its listed OSes), output lines
/// as "hook" events. Container hooks need a running pod to exec into, which ArgoEtl does not do: they are reported, not run.
/// </summary>
public sealed class HostHookRunner : IHookRunner
{
    public async Task RunAsync(HookPhase phase, EtlProfile profile, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(progress);
        string name = Name(phase);
        foreach (var hook in profile.Hooks.Where(h => h.Phase == name))
        {
            if (hook.Container is not null)
            {
                progress.Report(new DevEvent("hook", $"{name} hook in container {hook.Container} is not run by ArgoEtl; use a host hook."));
                continue;
            }

            if ((hook.Os.Count > 0 && !hook.Os.Any(CurrentOs)) || hook.Command.Count == 0)
            {
                continue;
            }

            progress.Report(new DevEvent("hook", $"{name}: {string.Join(' ', hook.Command)}"));
            try
            {
                await ToolProcess.RunAsync(hook.Command[0], hook.Command.Skip(1), null, Path.Combine(profile.ProjectDirectory, hook.Dir ?? "."),
                    line => progress.Report(new DevEvent("hook", line)), $"{name} hook", profile.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (EtlException ex) when (phase == HookPhase.Cleanup)
            {
                progress.Report(new DevEvent("error", ex.Message, ex)); // one failing cleanup hook must not stop the others
            }
        }
    }

    /// <summary>The phase as skaffold.yaml names it.</summary>
    public static string Name(HookPhase phase) => phase switch
    {
        HookPhase.Before => "before",
        HookPhase.After => "after",
        HookPhase.BeforeRender => "before-render",
        _ => "cleanup",
    };

    private static bool CurrentOs(string os) => os.ToLowerInvariant() switch
    {
        "linux" => RuntimeInformation.IsOSPlatform(OSPlatform.Linux),
        "darwin" => RuntimeInformation.IsOSPlatform(OSPlatform.OSX),
        "windows" => RuntimeInformation.IsOSPlatform(OSPlatform.Windows),
        _ => false,
    };
}
