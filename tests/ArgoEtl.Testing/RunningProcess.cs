using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ArgoEtl.Testing;

/// <summary>A substrate process started in its own temp folder; disposing kills it (and its children) and removes the folder.</summary>
public class RunningProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    /// <param name="name">Names the process in errors, its temp folder and its log.</param>
    /// <param name="start">Given a fresh temp folder and a free loopback port, writes any config there and says how to start.</param>
    /// <param name="readyWithin">How long the port may take to accept connections.</param>
    protected RunningProcess(string name, Func<string, int, ProcessStartInfo> start, TimeSpan readyWithin)
    {
        ArgumentNullException.ThrowIfNull(start);
        Name = name;
        WorkDirectory = NewWorkDirectory(name);
        Port = FreePort();
        var startInfo = start(WorkDirectory, Port);
        LogPath = Path.Combine(WorkDirectory, name + ".log");
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{name} did not start.");
        var log = new StreamWriter(LogPath) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
        try
        {
            WaitForPort(readyWithin);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    public int Port { get; }

    public string WorkDirectory { get; }

    public string LogPath { get; }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Waits until the port accepts connections; fails with the process log if it exits or times out.</summary>
    private void WaitForPort(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Thread.Sleep(200);
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before listening on {Port}:\n{ReadLog()}");
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

        throw new TimeoutException($"{Name} did not listen on 127.0.0.1:{Port} within {timeout.TotalSeconds}s:\n{ReadLog()}");
    }

    private string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The first of <paramref name="count"/> consecutive free loopback ports (an FTP server's passive range).</summary>
    public static int FreePortRange(int count)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int first = Random.Shared.Next(20_000, 29_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (int p = first; p < first + count; p++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, p);
                    listener.Start();
                    listeners.Add(listener);
                }

                return first;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // One of them is taken: try another range.
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free loopback ports found.");
    }

    private static string NewWorkDirectory(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"argoetl-{name}-{Guid.NewGuid():N}"[..32]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
