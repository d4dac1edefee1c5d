using System.Diagnostics;

namespace ArgoEtl.Core.Images;

/// <summary>
/// Runs a build tool (dotnet, buildah, podman, docker): output lines go to the caller as they come, Ctrl+C kills the
/// whole process tree, and a failure carries the tool's last lines. Arguments are passed as a list, never through a shell.
/// </summary>
internal static class ToolProcess
{
    public static async Task RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory,
        Action<string> onLine, string what, string artifact, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? string.Empty };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var tail = new Queue<string>();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 25)
                {
                    tail.Dequeue();
                }
            }

            onLine(line);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new EtlException(EtlErrors.BuilderNotInstalled, $"{what} for artifact '{artifact}' needs '{file}', which is not installed.",
                "Install it, or choose another builder with -Builder.", artifact, ex);
        }

        using (process)
        using (cancellationToken.Register(() => Kill(process)))
        {
            process.OutputDataReceived += (_, e) => Line(e.Data);
            process.ErrorDataReceived += (_, e) => Line(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                string last;
                lock (tail)
                {
                    last = string.Join("\n", tail);
                }

                if (BuildahStorage.MissingHelper(last) is { } missing)
                {
                    throw new EtlException(EtlErrors.ContainerHelperMissing, $"{what} for artifact '{artifact}' failed (exit {process.ExitCode}): the helper program '{missing.Helper}' is not installed.",
                        $"Install the Debian package: apt-get install -y {missing.Package}", artifact);
                }

                throw new EtlException(EtlErrors.ImageBuildFailed, $"{what} for artifact '{artifact}' failed (exit {process.ExitCode}):\n{last}",
                    "Fix what the tool reports above; run it by hand with the same arguments to see all of its output.", artifact);
            }
        }
    }

    /// <summary>Whether the command runs and exits 0 within a few seconds (e.g. 'docker info' answers only when an engine runs).</summary>
    public static bool Answers(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                Kill(process);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
