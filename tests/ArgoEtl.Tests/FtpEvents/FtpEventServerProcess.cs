using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ArgoEtl.Testing;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>
/// The built event server (src/ArgoEtl.FtpEvents) as a real process: <c>dotnet ArgoEtl.FtpEvents.dll --urls
/// http://127.0.0.1:PORT</c>. Keeps every output line; can be stopped (SIGTERM, as Kubernetes does) and started again
/// on the same port.
/// </summary>
public sealed class FtpEventServerProcess : IDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _lines = new();
    private Process? _process;

    public FtpEventServerProcess(IDictionary<string, string>? environment = null)
    {
        _environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        Port = RunningProcess.FreePort();
        Start();
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public string Url => $"http://{Address}";

    public IReadOnlyList<string> Lines => [.. _lines];

    public static string DllPath
    {
        get
        {
            // The test project references the server, so it is built in the same configuration beside its sources.
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "src", "ArgoEtl.FtpEvents", "bin", configuration, "net10.0", "ArgoEtl.FtpEvents.dll");
        }
    }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(DllPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Url);
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("The event server did not start.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _lines.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The event server exited with {_process.ExitCode}:\n{string.Join('\n', _lines)}");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        throw new TimeoutException($"The event server did not listen on {Url}:\n{string.Join('\n', _lines)}");
    }

    /// <summary>Stops the server with SIGTERM (as a rolling restart does) and waits for it to exit.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill", $"-TERM {_process.Id}") { UseShellExecute = false })!)
        {
            kill.WaitForExit();
        }

        if (!_process.WaitForExit(15_000))
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Waits until an output line satisfies <paramref name="match"/>.</summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_lines.Any(match))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The event server never logged {what}:\n{string.Join('\n', _lines.TakeLast(40))}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process?.Dispose();
    }
}
