using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ArgoEtl.Testing;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>
/// A second vsftpd serving the harness server's root on a port of its own that can be killed and started again on
/// that same port (the harness picks a new port and folder per start). It reuses the harness's config with its own
/// listen and passive ports, so accounts, root and settings are exactly those of <see cref="Vsftpd"/>. Unlike the
/// harness's single passive port, it has a small range: vsftpd refuses PASV ("500 OOPS") in a second session while
/// another holds the only port, and the tests list while an upload is running.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class RestartableVsftpd : IDisposable
{
    private readonly string _config;
    private Process? _process;

    public RestartableVsftpd(Vsftpd harness)
    {
        ArgumentNullException.ThrowIfNull(harness);
        Port = RunningProcess.FreePort();
        int passive = RunningProcess.FreePortRange(PassivePorts);
        string text = File.ReadAllText(Path.Combine(harness.WorkDirectory, "vsftpd.conf"));
        text = ListenPort().Replace(text, $"listen_port={Port}");
        text = PasvMin().Replace(text, $"pasv_min_port={passive}");
        text = PasvMax().Replace(text, $"pasv_max_port={passive + PassivePorts - 1}");
        _config = Path.Combine(harness.WorkDirectory, "restartable.conf");
        File.WriteAllText(_config, text);
        File.SetUnixFileMode(_config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Start();
    }

    private const int PassivePorts = 4;

    public int Port { get; }

    public void Start()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec /usr/sbin/vsftpd '{_config}' 0>&2");
        _process = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Kills the server and every session process it forked, as a crash or a pod restart would.</summary>
    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit();
        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    [GeneratedRegex(@"(?m)^listen_port=\d+", RegexOptions.CultureInvariant)]
    private static partial Regex ListenPort();

    [GeneratedRegex(@"(?m)^pasv_min_port=\d+", RegexOptions.CultureInvariant)]
    private static partial Regex PasvMin();

    [GeneratedRegex(@"(?m)^pasv_max_port=\d+", RegexOptions.CultureInvariant)]
    private static partial Regex PasvMax();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"vsftpd on {Port}");
}
