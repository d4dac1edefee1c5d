using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>
/// The project's local AWS endpoint (tests/ArgoEtl.TestServers) as a process, for Pester: SigV4-checked S3 notification
/// settings, SNS, IAM and STS on one port. Seed it and read its state over /_argoetl/ (see LocalAwsServer).
/// </summary>
public sealed class LocalAws : RunningProcess
{
    /// <summary>The access key the endpoint accepts; any other key or a wrong secret gets 403.</summary>
    public const string AccessKeyId = "AKIDARGOETLTEST00001";

    public const string SecretAccessKey = "argoetl/test/Secret+Key/0123456789abcdef";

    public const string AccountId = "123456789012";

    private static readonly string[] Configurations = ["Release", "Debug"];

    internal LocalAws()
        : base("localaws", Start, TimeSpan.FromSeconds(20))
    {
    }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The newest build of tests/ArgoEtl.TestServers.</summary>
    internal static string TestServersDll() => Configurations
        .Select(c => Path.Combine(Substrates.RepoRoot, "tests", "ArgoEtl.TestServers", "bin", c, "net10.0", "ArgoEtl.TestServers.dll"))
        .Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
        ?? throw new InvalidOperationException("ArgoEtl.TestServers is not built; run the build first.");

    private static ProcessStartInfo Start(string dir, int port)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir };
        foreach (var a in new[] { TestServersDll(), "aws", "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }
}
