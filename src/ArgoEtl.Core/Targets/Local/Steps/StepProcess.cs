using System.Diagnostics;

namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>One process of a step (the program itself, or buildah/docker running it): lines to the log as they come, the tree killed on cancel or deadline.</summary>
internal static class StepProcess
{
    public sealed record Outcome(int ExitCode, TimeSpan Duration, bool DeadlineExceeded, string Stdout);

    public static async Task<Outcome> RunAsync(StepRequest request, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment, string? workingDirectory,
        Func<Task>? onKilled, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (string arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var log = new StepLog(request.LogPath, request.OnLine);
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new EtlException(EtlErrors.LocalStepStartFailed, $"Step '{request.NodeName}': cannot start '{argv[0]}' for image '{request.Image}': {ex.Message}",
                "Check the image table's host command for this image, or that the command exists on PATH.", request.NodeName, ex);
        }

        using (process)
        {
            process.StandardInput.Close();
            using var deadline = new CancellationTokenSource();
            if (request.Deadline is { } limit)
            {
                deadline.CancelAfter(limit < TimeSpan.Zero ? TimeSpan.Zero : limit);
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            bool killed = false;
            using (both.Token.Register(() =>
            {
                killed = true;
                KillTree(process);
            }))
            {
                var stdout = PumpAsync(process.StandardOutput, line => log.Line(line, stdout: true));
                var stderr = PumpAsync(process.StandardError, line => log.Line(line, stdout: false));
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            }

            if (killed && onKilled is not null)
            {
                await onKilled().ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            return new Outcome(process.ExitCode, clock.Elapsed, deadline.IsCancellationRequested, log.Stdout);
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> line)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } text)
        {
            line(text);
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while we kill it.
        }
    }

    /// <summary>Writes the files the step expects (a script's source) under their mounts, through <paramref name="map"/> (host runs rewrite paths inside them).</summary>
    public static async Task WriteFilesAsync(StepRequest request, Func<string, string> map, CancellationToken cancellationToken)
    {
        foreach (var mount in request.Mounts)
        {
            Directory.CreateDirectory(mount.HostPath);
        }

        foreach (var file in request.Files)
        {
            string path = request.HostPathOf(file.ContainerPath) ?? throw new EtlException(EtlErrors.LocalStepFileUnmounted, $"Step '{request.NodeName}': no mount holds {file.ContainerPath}.", null, request.NodeName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, map(file.Content), cancellationToken).ConfigureAwait(false);
        }
    }
}
