using System.Diagnostics;

namespace ArgoEtl.Testing;

/// <summary>
/// s3rver, an S3-compatible server in Node. The access key must be S3RVER; signatures are not checked.
/// Clients must not use aws-chunked uploads over http (s3rver stores the framing): see SUBSTRATES.md.
/// </summary>
public sealed class S3rver : RunningProcess
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    internal S3rver(Uri? notify = null)
        : base("s3rver", (dir, port) => notify is null ? Start(dir, port) : StartNotifying(dir, port, notify), TimeSpan.FromSeconds(30))
    {
    }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    private static ProcessStartInfo Start(string dir, int port)
    {
        string cli = Path.Combine(Substrates.S3rverDirectory, "node_modules", "s3rver", "bin", "s3rver.js");
        var start = new ProcessStartInfo("node");
        foreach (string a in new[] { cli, "-d", Path.Combine(dir, "data"), "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--silent" })
        {
            start.ArgumentList.Add(a);
        }

        Directory.CreateDirectory(Path.Combine(dir, "data"));
        return start;
    }

    // s3rver through tests/s3rver/notify.js, which POSTs each object event record to the given URL.
    private static ProcessStartInfo StartNotifying(string dir, int port, Uri notify)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = Substrates.S3rverDirectory };
        foreach (string a in new[] { Path.Combine(Substrates.S3rverDirectory, "notify.js"), "--directory", Path.Combine(dir, "data"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--notify", notify.ToString() })
        {
            start.ArgumentList.Add(a);
        }

        Directory.CreateDirectory(Path.Combine(dir, "data"));
        return start;
    }
}
