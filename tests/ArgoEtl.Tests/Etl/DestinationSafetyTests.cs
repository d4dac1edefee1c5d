using System.Diagnostics;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Storage;
using ArgoEtl.Etl.Transform;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// Issue 17's destination and environment cases, against the real file system (symlinks, a read-only and a full
/// tmpfs), the real process (exit codes, signals) and real sockets (a closed port, an unresolvable name).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DestinationSafetyTests
{
    private const string Csv = "id,name\n1,Kim\n2,Lee\n";

    [Fact]
    public async Task A_destination_that_is_the_input_through_a_symlink_is_refused_and_the_input_kept()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "data.csv");
        await File.WriteAllTextAsync(input, Csv);
        string link = Path.Combine(dir.Path, "link.json");
        File.CreateSymbolicLink(link, input);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "alias"), dir.Path);

        using var runner = new EtlRunner();
        foreach (string output in new[] { input, link, Path.Combine(dir.Path, "alias", "data.csv") })
        {
            var job = new EtlJob { Input = ObjectLocation.File(input), Output = ObjectLocation.File(output) };
            var error = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(job));
            Assert.Equal("OutputSameAsInput", error.Code);
        }

        var local = new EtlJob { Input = ObjectLocation.File(input), Output = ObjectLocation.File(Path.Combine(dir.Path, "o.json")), LocalOutput = link };
        Assert.Equal("OutputSameAsInput", (await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(local))).Code);
        Assert.Equal(Csv, await File.ReadAllTextAsync(input));
    }

    [Fact]
    public void An_input_that_is_a_directory_says_so()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = EtlProcess.Run("-i", dir.Path, "-o", Path.Combine(dir.Path, "x.json"));
        Assert.Equal(2, exit);
        Assert.Contains("error[InputIsDirectory]", stderr, StringComparison.Ordinal);
        Assert.Contains("is a directory", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_only_file_system_is_a_coded_error_naming_the_destination()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "in.csv");
        File.WriteAllText(input, Csv);
        using var mount = new TmpfsMount("size=1m,ro");
        string output = Path.Combine(mount.Path, "out.json");
        var (exit, _, stderr) = EtlProcess.Run("-i", input, "-o", output);
        EtlProcess.AssertNoCrash(stderr);
        Assert.Equal(3, exit);
        Assert.Contains("error[DestinationReadOnly]", stderr, StringComparison.Ordinal);
        Assert.Contains(output, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(".argoetl-", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_full_disk_is_a_coded_error_naming_the_destination_and_leaves_nothing()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "in.csv");
        await using (var w = new StreamWriter(input))
        {
            await w.WriteLineAsync("id,name");
            for (int i = 0; i < 200_000; i++)
            {
                await w.WriteLineAsync($"{i},name-{i}-padding-padding");
            }
        }

        using var mount = new TmpfsMount("size=1m");
        string output = Path.Combine(mount.Path, "sub", "out.json");
        var (exit, _, stderr) = EtlProcess.Run("-i", input, "-o", output);
        EtlProcess.AssertNoCrash(stderr);
        Assert.Equal(3, exit);
        Assert.Contains("error[DestinationFull]", stderr, StringComparison.Ordinal);
        Assert.Contains(output, stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(mount.Path));

        // The library says the same to the cmdlet.
        using var runner = new EtlRunner();
        var error = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(new EtlJob { Input = ObjectLocation.File(input), Output = ObjectLocation.File(output) }));
        Assert.Equal("DestinationFull", error.Code);
        Assert.Equal(EtlErrorKind.PermissionDenied, error.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(mount.Path));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", 4, "S3Unreachable", "refused")]
    [InlineData("http://no-such-host.invalid:9000", 4, "S3Unreachable", "")]
    [InlineData("notaurl", 2, "S3EndpointInvalid", "notaurl")]
    public void S3_endpoint_failures_are_coded_errors_with_the_documented_exit_codes(string endpoint, int expectedExit, string code, string text)
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = EtlProcess.Run("-i", "s3://bucket/in.csv", "-o", Path.Combine(dir.Path, "o.json"), "--s3-endpoint", endpoint);
        EtlProcess.AssertNoCrash(stderr);
        Assert.Equal(expectedExit, exit);
        Assert.Contains($"error[{code}]", stderr, StringComparison.Ordinal);
        Assert.Contains(text, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket")]
    [InlineData("s3://bucket/")]
    public void An_s3_location_without_a_key_is_a_usage_error(string input)
    {
        var (exit, _, stderr) = EtlProcess.Run("-i", input, "-o", "/tmp/never.json");
        EtlProcess.AssertNoCrash(stderr);
        Assert.Equal(2, exit);
        Assert.Contains("error[LocationInvalid]", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_in_s3_and_ftp_urls_are_never_printed()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "in.csv");
        File.WriteAllText(input, Csv);
        var s3 = EtlProcess.Run("-i", input, "-o", "s3://bucket/out.json", "--s3-endpoint", "http://probe:S3-URL-PASS-777@127.0.0.1:1");
        var ftp = EtlProcess.Run("-i", "ftp://probe:FTP-URL-PASS-888@127.0.0.1:1/in.csv", "-o", Path.Combine(dir.Path, "o.json"));
        var bad = EtlProcess.Run("-i", "http://probe:HTTP-URL-PASS-999@127.0.0.1:1/in.csv");
        Assert.Equal(4, s3.ExitCode);
        Assert.Equal(4, ftp.ExitCode);
        Assert.Equal(2, bad.ExitCode);
        foreach (string output in new[] { s3.Stdout + s3.Stderr, ftp.Stdout + ftp.Stderr, bad.Stdout + bad.Stderr })
        {
            Assert.DoesNotContain("PASS-", output, StringComparison.Ordinal);
            EtlProcess.AssertNoCrash(output);
        }
    }

    [Fact]
    public void A_closed_ftp_port_is_a_clear_connection_error()
    {
        using var dir = new TempDir();
        var (exit, _, stderr) = EtlProcess.Run("-i", "ftp://127.0.0.1:1/in.csv", "-o", Path.Combine(dir.Path, "o.json"));
        Assert.Equal(4, exit);
        Assert.Contains("error[FtpUnreachable]", stderr, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Undefined", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_output_is_not_published_when_the_s3_upload_fails()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "in.csv");
        await File.WriteAllTextAsync(input, Csv);
        string local = Path.Combine(dir.Path, "artifacts", "output.json");
        using var runner = new EtlRunner(new AwsConnection { EndpointUrl = new Uri("http://127.0.0.1:1") });
        var job = new EtlJob { Input = ObjectLocation.File(input), Output = ObjectLocation.S3("bucket", "out.json"), LocalOutput = local };
        var error = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(job));
        // Without credentials in this process the upload fails before connecting; with them, at the closed port. Either way it fails.
        Assert.StartsWith("S3", error.Code, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "artifacts")), "neither the local output nor the folder created for it is left");
    }

    [Fact]
    public async Task Temp_files_of_dead_processes_are_removed_and_those_of_live_ones_kept()
    {
        using var dir = new TempDir();
        string input = Path.Combine(dir.Path, "in.csv");
        await File.WriteAllTextAsync(input, Csv);

        using var finished = Process.Start(new ProcessStartInfo("true"))!;
        await finished.WaitForExitAsync();
        string stale = Path.Combine(dir.Path, $".argoetl-{finished.Id}-0123456789abcdef.tmp");
        string live = Path.Combine(dir.Path, $".argoetl-{Environment.ProcessId}-0123456789abcdef.tmp");
        string foreign = Path.Combine(dir.Path, ".argoetl-notes.txt");
        foreach (string f in new[] { stale, live, foreign })
        {
            await File.WriteAllTextAsync(f, "x");
        }

        var (exit, _, stderr) = EtlProcess.Run("-i", input, "-o", Path.Combine(dir.Path, "out.json"));
        Assert.True(exit == 0, stderr);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live), "a live run's temp file is not touched");
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public async Task Sigterm_mid_conversion_is_handled_like_ctrl_c_and_leaves_no_temp_file()
    {
        using var dir = new TempDir();
        string fifo = Path.Combine(dir.Path, "in.csv");
        using (var mk = Process.Start("mkfifo", [fifo]))
        {
            await mk.WaitForExitAsync();
        }

        string outDir = Path.Combine(dir.Path, "out");
        using var etl = Process.Start(EtlProcess.StartInfo(["-i", fifo, "-o", Path.Combine(outDir, "o.json"), "--schema", "id:int32,name:string"]))!;
        var stderr = etl.StandardError.ReadToEndAsync();
        var writer = new StreamWriter(new FileStream(fifo, FileMode.Open, FileAccess.Write));
        try
        {
            await writer.WriteAsync("id,name\n");
            for (int i = 0; i < 50_000; i++)
            {
                await writer.WriteAsync($"{i},n{i}\n");
            }

            await writer.FlushAsync();

            // The run has its temp file open while it waits for more input: now stop it as Kubernetes does.
            while (!Directory.Exists(outDir) || Directory.GetFiles(outDir, ".argoetl-*").Length == 0)
            {
                Assert.False(etl.HasExited, await stderr);
                await Task.Delay(50);
            }

            using var kill = Process.Start("kill", ["-TERM", etl.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        finally
        {
            // A read blocked on a FIFO wakes only when the writer closes it; a file or network stream aborts at once.
            try
            {
                await writer.DisposeAsync();
            }
            catch (IOException)
            {
                // The run already closed its end.
            }
        }

        await etl.WaitForExitAsync();

        Assert.Equal(130, etl.ExitCode);
        Assert.Contains("canceled", await stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir), "the temp file and the folder the run created are gone");
    }

    /// <summary>A small tmpfs (as root) to make a real read-only or full file system.</summary>
    private sealed class TmpfsMount : IDisposable
    {
        public TmpfsMount(string options)
        {
            Directory.CreateDirectory(Path);
            using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", options, "tmpfs", Path])!;
            mount.WaitForExit();
            Assert.True(mount.ExitCode == 0, "mounting a tmpfs needs root (the test image runs as root)");
        }

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "argoetl-tmpfs-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            using var umount = Process.Start("umount", [Path])!;
            umount.WaitForExit();
            Directory.Delete(Path);
        }
    }
}
