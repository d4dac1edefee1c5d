namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>
/// The fast path: an image the project builds (or a tool image the caller maps) runs as a host process with the step's
/// args and env — no container. Paths the step was given in container terms (output files, input artifacts, emptyDir
/// volumes, the script's file) are rewritten to their host folders in the command, args, env values, working dir and
/// script source (see <see cref="StepPaths.ToHost"/>), so "/tmp/out.txt" lands in the node folder where the engine
/// collects it. On cancel or deadline the whole process tree is killed.
/// </summary>
public sealed class HostProcessStepRunner(IReadOnlyDictionary<string, HostImage> images) : IStepRunner
{
    /// <summary>Whether <paramref name="image"/> has a host mapping here.</summary>
    public bool Handles(string image) => images.ContainsKey(image);

    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!images.TryGetValue(request.Image, out var host))
        {
            throw new EtlException(EtlErrors.LocalImageNotMapped, $"Step '{request.NodeName}': image '{request.Image}' has no host command.",
                "Build the image's project so it runs as a host process, or run the step in a container.", request.Image);
        }

        string Map(string text) => StepPaths.ToHost(request.Mounts, text);
        await StepProcess.WriteFilesAsync(request, Map, cancellationToken).ConfigureAwait(false);
        var argv = new List<string>();
        argv.AddRange(request.Command.Count > 0 && host.KeepCommand ? request.Command.Select(Map) : host.Entrypoint);
        argv.AddRange(request.Args.Select(Map));
        if (argv.Count == 0)
        {
            throw new EtlException(EtlErrors.LocalNoCommand, $"Step '{request.NodeName}': image '{request.Image}' has no command to run.",
                "Give the container a command, or the image table an entrypoint.", request.NodeName);
        }

        string work = request.WorkingDirectory is { } wd && request.HostPathOf(wd) is { } mapped ? mapped : Path.Combine(request.NodeDirectory, "work");
        Directory.CreateDirectory(work);

        // The host's env (PATH, HOME, DOTNET_*) stays, since the process is a host program; the step's env wins over it.
        var env = request.Environment.ToDictionary(p => p.Key, p => Map(p.Value), StringComparer.Ordinal);
        var outcome = await StepProcess.RunAsync(request, argv, env, work, null, cancellationToken).ConfigureAwait(false);
        return new StepResult(outcome.ExitCode, request.LogPath, outcome.Duration, outcome.DeadlineExceeded, outcome.Stdout);
    }
}
