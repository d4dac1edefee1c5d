using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>The CNCF distribution registry (Debian's docker-registry) with filesystem storage and deletes enabled.</summary>
public sealed class Registry : RunningProcess
{
    internal Registry()
        : base("registry", (dir, port) => Start(dir, port, null), TimeSpan.FromSeconds(15))
    {
    }

    internal Registry(string user, string password)
        : base("registry", (dir, port) => Start(dir, port, (user, password)), TimeSpan.FromSeconds(15))
    {
        User = user;
        Password = password;
    }

    /// <summary>The account the registry accepts (basic auth over htpasswd), or null when it needs none.</summary>
    public string? User { get; }

    public string? Password { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>host:port, as image references name it.</summary>
    public string Host => $"127.0.0.1:{Port}";

    private static ProcessStartInfo Start(string dir, int port, (string User, string Password)? account)
    {
        string config = Path.Combine(dir, "config.yml");
        string auth = string.Empty;
        if (account is { } a)
        {
            // bcrypt, the only hash the registry's htpasswd support accepts.
            string htpasswd = Path.Combine(dir, "htpasswd");
            var hash = new ProcessStartInfo("htpasswd") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-Bbn", a.User, a.Password })
            {
                hash.ArgumentList.Add(arg);
            }

            using var p = Process.Start(hash)!;
            File.WriteAllText(htpasswd, p.StandardOutput.ReadToEnd());
            p.WaitForExit();
            auth = $"auth:\n  htpasswd:\n    realm: argoetl-test\n    path: {htpasswd}\n";
        }

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

            """) + auth);
        var start = new ProcessStartInfo("/usr/bin/docker-registry");
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        return start;
    }
}
