using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>The CNCF distribution registry (Debian's docker-registry) with filesystem storage and deletes enabled.</summary>
public sealed class Registry : RunningProcess
{
    internal Registry()
        : base("registry", Start, TimeSpan.FromSeconds(15))
    {
    }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>host:port, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    private static ProcessStartInfo Start(string dir, int port)
    {
        string config = Path.Combine(dir, "config.yml");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """));
        var start = new ProcessStartInfo("/usr/bin/docker-registry");
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        return start;
    }
}
