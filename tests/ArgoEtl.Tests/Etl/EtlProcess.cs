using System.Diagnostics;

namespace ArgoEtl.Tests.Etl;

/// <summary>Runs the real argoetl-etl entrypoint (the built ArgoEtl.Etl.dll) as its own process.</summary>
internal static class EtlProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ArgoEtl.Etl.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Dll);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        // Keep the host's AWS settings out of the runs: only what a test passes counts.
        foreach (string name in new[] { "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_PROFILE" })
        {
            start.Environment[name] = null;
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = "test";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "test-secret";
        start.Environment["AWS_REGION"] = "us-east-1";
        return start;
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>What no run may print, whatever went wrong: a crash, a stack trace, a source path.</summary>
    public static void AssertNoCrash(string stderr)
    {
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", stderr, StringComparison.Ordinal);
    }
}
