using System.Collections.Concurrent;
using System.Diagnostics;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>Real kubectl against the test API server: an independent reader of what the module applied and the server serves.</summary>
internal sealed class Kubectl(string kubeconfig) : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "argoetl-kubectl-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Process> _started = [];

    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(Info(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The output of a command that must succeed.</summary>
    public async Task<string> OutAsync(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} failed ({exit}): {error}");
        return output;
    }

    /// <summary>Starts a long-running command (kubectl get -w, logs -f) whose output lines are collected as they come.</summary>
    public ConcurrentQueue<string> Start(params string[] args)
    {
        var lines = new ConcurrentQueue<string>();
        var process = Process.Start(Info(args))!;
        _started.Add(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lines.Enqueue("stderr: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return lines;
    }

    private ProcessStartInfo Info(string[] args)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", _cache }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }
}
