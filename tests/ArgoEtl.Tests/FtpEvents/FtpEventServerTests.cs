using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ArgoEtl.Testing;
using Xunit.Abstractions;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>
/// The event server as a real process against real vsftpd, read by two clients: the .NET gRPC client and an
/// independent grpc-js one, both from the upstream generic.proto. Polls and stability windows are short so the
/// suite stays fast; no assertion is about time.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class FtpEventServerTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _work = Directory.CreateTempSubdirectory("argoetl-ftpevents-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Config(int port, string? checkpoint, string startFrom = "all", string stableFor = "300ms", string extra = "") => $"""
        host: 127.0.0.1
        port: {port}
        dir: /upload
        recursive: true
        include: ["*.csv"]
        exclude: ["**/skip/**"]
        pollInterval: 100ms
        stableFor: {stableFor}
        startFrom: {startFrom}
        {(checkpoint is null ? string.Empty : "checkpoint: " + checkpoint)}
        {extra}
        """;

    private static void WriteFile(Vsftpd ftp, string relative, string content)
    {
        string path = Path.Combine(ftp.RootDirectory, "upload", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

#pragma warning disable SYSLIB0014 // FtpWebRequest: an FTP client that is not ours, uploading the way a user would.
    private static async Task UploadSlowlyAsync(string user, string password, int port, string path, int pieces, int pieceSize, TimeSpan pause)
    {
        var put = (FtpWebRequest)WebRequest.Create($"ftp://127.0.0.1:{port}{path}");
        put.Method = WebRequestMethods.Ftp.UploadFile;
        put.UseBinary = true;
        put.UsePassive = true;
        put.Credentials = new NetworkCredential(user, password);
        await using (var body = await put.GetRequestStreamAsync())
        {
            for (int i = 0; i < pieces; i++)
            {
                await body.WriteAsync(Encoding.ASCII.GetBytes(new string((char)('a' + (i % 26)), pieceSize)));
                await body.FlushAsync();
                await Task.Delay(pause);
            }
        }

        using (await put.GetResponseAsync())
        {
        }
    }
#pragma warning restore SYSLIB0014

    [Fact]
    public async Task A_slowly_uploaded_file_is_sent_once_when_stable_and_again_as_modified_when_it_changes()
    {
        using var ftp = ArgoEtl.Testing.Substrates.StartVsftpdWithUser();
        using var served = new RestartableVsftpd(ftp); // passive ports for the uploader and the watcher at once
        string passwordFile = Path.Combine(_work, "password");
        await File.WriteAllTextAsync(passwordFile, ftp.Password + "\n");
        WriteFile(ftp, "old.csv", "a\n1\n");
        using var server = new FtpEventServerProcess(new Dictionary<string, string> { ["FTP_USER"] = ftp.User!, ["FTP_PASSWORD_FILE"] = passwordFile });

        // Two streams at once, each with its own config and checkpoint: everything (.NET) and only what comes later (node).
        await using var all = new DotnetSubscription(server.Url, "all", Config(served.Port, Path.Combine(_work, "all.json"), "all", "2s"));
        await using var later = new NodeSubscription(server.Address, "later", Config(served.Port, Path.Combine(_work, "later.json"), "now", "2s"));
        await all.WaitForAsync(e => e.Any(x => x.File == "old.csv"), Patience, "old.csv (present at start, startFrom all)");
        await server.WaitForLineAsync(l => l.Contains("with 0 files; files present now are taken as sent", StringComparison.Ordinal), Patience, "the startFrom-now baseline");
        await Task.Delay(300); // the node stream's first listing (its baseline) has happened once its next poll is due

        // 12 pieces 100 ms apart: never unchanged for the 2 s window until the upload is done (the window is wide because
        // a loaded machine (CI runs suites side by side) can stall an upload for a good part of a second).
        await UploadSlowlyAsync(ftp.User!, ftp.Password!, served.Port, "/upload/slow.csv", pieces: 12, pieceSize: 2000, pause: TimeSpan.FromMilliseconds(100));
        foreach (var stream in new EventSubscription[] { all, later })
        {
            await stream.WaitForAsync(e => e.Any(x => x.File == "slow.csv"), Patience, "slow.csv");
        }

        await Task.Delay(3000); // polls past the stability window: nothing more may arrive for it
        foreach (var stream in new EventSubscription[] { all, later })
        {
            var slow = Assert.Single(stream.Events, e => e.File == "slow.csv");
            Assert.Equal(24_000, slow.Size);
            Assert.Equal("created", slow.Kind);
            Assert.Equal("/upload/slow.csv", slow.Path);
            Assert.Equal($"ftp://127.0.0.1:{served.Port}", slow.Server);
            var modified = DateTimeOffset.Parse(slow.Modified, CultureInfo.InvariantCulture);
            Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(ftp.RootDirectory, "upload", "slow.csv")).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture),
                modified.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture));
        }

        Assert.DoesNotContain(later.Events, e => e.File == "old.csv");
        Assert.Equal(["all"], all.Events.Select(e => e.Name).Distinct());
        Assert.Equal(["later"], later.Events.Select(e => e.Name).Distinct());

        // One client going away ends only its own stream; then a changed file (new size) is sent again, as modified.
        await later.DisposeAsync();
        await server.WaitForLineAsync(l => l.Contains("Stream for event later ended", StringComparison.Ordinal), Patience, "the node stream's end");
        await UploadSlowlyAsync(ftp.User!, ftp.Password!, served.Port, "/upload/slow.csv", pieces: 1, pieceSize: 10, pause: TimeSpan.Zero);
        var again = (await all.WaitForAsync(e => e.Count(x => x.File == "slow.csv") == 2, Patience, "slow.csv modified")).Where(e => e.File == "slow.csv").Last();
        Assert.Equal(("modified", 10L), (again.Kind, again.Size));
        Assert.Null(all.Ended);

        string everything = string.Join('\n', server.Lines) + string.Join('\n', all.Events.Concat(later.Events).Select(e => e.RawPayload));
        Assert.DoesNotContain(ftp.Password!, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restarting_the_event_server_while_files_arrive_loses_nothing_and_duplicates_nothing()
    {
        using var ftp = ArgoEtl.Testing.Substrates.StartVsftpd();
        using var server = new FtpEventServerProcess();
        string config = Config(ftp.Port, Path.Combine(_work, "state", "checkpoint.json"));
        var names = Enumerable.Range(0, 40).Select(i => $"batch{i % 4}/f{i:D2}.csv").ToList();
        var received = new List<ReceivedEvent>();

        var first = new DotnetSubscription(server.Url, "restart", config);
        for (int i = 0; i < 15; i++)
        {
            WriteFile(ftp, names[i], $"n\n{i}\n");
            await Task.Delay(50);
        }

        await first.WaitForAsync(e => e.Count >= 3, Patience, "the first few files");
        server.Stop();
        await first.WaitForEndAsync(Patience);
        received.AddRange(first.Events);
        await first.DisposeAsync();

        for (int i = 15; i < 30; i++)
        {
            WriteFile(ftp, names[i], $"n\n{i}\n");
        }

        server.Start();
        await using var second = new DotnetSubscription(server.Url, "restart", config);
        for (int i = 30; i < names.Count; i++)
        {
            WriteFile(ftp, names[i], $"n\n{i}\n");
            await Task.Delay(20);
        }

        await second.WaitForAsync(e => received.Select(x => x.File).Concat(e.Select(x => x.File)).Distinct().Count() == names.Count, Patience, "all 40 files across both runs");
        await Task.Delay(1000);
        received.AddRange(second.Events);
        output.WriteLine($"before the restart: {received.Count - second.Events.Count} events, after: {second.Events.Count}");
        Assert.Equal(names.Order(StringComparer.Ordinal), received.Select(e => e.File).Order(StringComparer.Ordinal));
        Assert.All(received, e => Assert.Equal("created", e.Kind));
    }

    [Fact]
    public async Task The_event_server_reconnects_when_the_FTP_server_restarts()
    {
        using var harness = ArgoEtl.Testing.Substrates.StartVsftpd();
        using var ftp = new RestartableVsftpd(harness);
        using var server = new FtpEventServerProcess();
        await using var stream = new DotnetSubscription(server.Url, "reconnect", Config(ftp.Port, Path.Combine(_work, "reconnect.json")));
        WriteFile(harness, "a.csv", "x\n1\n");
        await stream.WaitForAsync(e => e.Any(x => x.File == "a.csv"), Patience, "a.csv");

        ftp.Kill();
        WriteFile(harness, "b.csv", "x\n2\n");
        await server.WaitForLineAsync(l => l.Contains("unavailable", StringComparison.Ordinal), Patience, "that the FTP server is unavailable");
        ftp.Start();

        await stream.WaitForAsync(e => e.Any(x => x.File == "b.csv"), Patience, "b.csv after the FTP server came back");
        await Task.Delay(500);
        Assert.Equal(["a.csv", "b.csv"], stream.Events.Select(e => e.File));
        Assert.True(server.Lines.Count(l => l.Contains("Connected to", StringComparison.Ordinal)) >= 2, "it logged a second connect");
        Assert.Null(stream.Ended);
    }

    [Fact]
    public async Task A_thousand_files_in_nested_folders_are_each_sent_once()
    {
        using var ftp = ArgoEtl.Testing.Substrates.StartVsftpd();
        var names = new List<string>();
        for (int a = 0; a < 10; a++)
        {
            for (int b = 0; b < 10; b++)
            {
                for (int c = 0; c < 10; c++)
                {
                    string name = $"d{a}/e{b}/f{c}.csv";
                    WriteFile(ftp, name, "x\n1\n");
                    names.Add(name);
                }
            }
        }

        WriteFile(ftp, "d0/skip/excluded.csv", "x\n");
        WriteFile(ftp, "d0/not-csv.txt", "x\n");
        using var server = new FtpEventServerProcess();
        await using var stream = new DotnetSubscription(server.Url, "many", Config(ftp.Port, Path.Combine(_work, "many.json"), "all", "200ms"));
        await stream.WaitForAsync(e => e.Count >= names.Count, TimeSpan.FromSeconds(120), "1,000 files");
        await Task.Delay(1000);
        Assert.Equal(names.Order(StringComparer.Ordinal), stream.Events.Select(e => e.File).Order(StringComparer.Ordinal));

        var polls = server.Lines.Select(l => ListedLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value + " files, " + m.Groups[2].Value + " folders: " + m.Groups[3].Value + " ms").ToList();
        output.WriteLine("listing time per poll (NLST + SIZE + MDTM against vsftpd):");
        foreach (string poll in polls)
        {
            output.WriteLine("  " + poll);
        }

        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "argoetl-ftpevents-listing-times.txt"), polls);
        Assert.NotEmpty(polls);
    }

    [Fact]
    public async Task Forced_LIST_listing_reads_vsftpd_Unix_lines_by_their_grammar()
    {
        using var ftp = ArgoEtl.Testing.Substrates.StartVsftpd();
        WriteFile(ftp, "a.csv", "x\n1\n");
        WriteFile(ftp, "deep/er/b c.csv", "x\n12345\n");
        using var server = new FtpEventServerProcess();
        await using var stream = new DotnetSubscription(server.Url, "list", Config(ftp.Port, null, extra: "listing: list"));
        var events = await stream.WaitForAsync(e => e.Count >= 2, Patience, "both files");
        Assert.Equal([("a.csv", 4L), ("deep/er/b c.csv", 8L)], events.Select(e => (e.File, e.Size)).Order());
        Assert.Contains(server.Lines, l => l.Contains("listing with list", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.Contains("Skipped a LIST line", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("listing: dir", "listing")]
    [InlineData("port: abc", "port")]
    [InlineData("password: {generated}", "password")]
    [InlineData("stableFor: 10 parsecs", "stableFor")]
    [InlineData("pollInterval: 0s", "pollInterval")]
    [InlineData("startFrom: yesterday", "startFrom")]
    [InlineData("passive: false", "passive")]
    [InlineData("colour: red", "colour")]
    public async Task A_bad_config_ends_the_stream_with_InvalidArgument_naming_the_field(string line, string field)
    {
        using var server = new FtpEventServerProcess();
        string secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)); // made for this run
        line = line.Replace("{generated}", secret, StringComparison.Ordinal);
        string config = line.StartsWith("port", StringComparison.Ordinal)
            ? $"host: 127.0.0.1\n{line}\ndir: /upload\n" : $"host: 127.0.0.1\nport: 2121\ndir: /upload\n{line}\n";
        await using var dotnet = new DotnetSubscription(server.Url, "bad", config);
        await using var node = new NodeSubscription(server.Address, "bad", config);
        foreach (var stream in new EventSubscription[] { dotnet, node })
        {
            var (code, detail) = await stream.WaitForEndAsync(Patience);
            Assert.Equal(3, code); // INVALID_ARGUMENT
            Assert.Contains($"'{field}'", detail, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(server.Lines, l => l.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_config_without_host_is_refused_naming_host()
    {
        using var server = new FtpEventServerProcess();
        await using var stream = new DotnetSubscription(server.Url, "bad", "{\"dir\": \"/upload\"}");
        var (code, detail) = await stream.WaitForEndAsync(Patience);
        Assert.Equal((3, true), (code, detail.Contains("'host'", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_password_ends_the_stream_with_a_clear_error_and_is_never_shown()
    {
        using var ftp = ArgoEtl.Testing.Substrates.StartVsftpdWithUser();
        string wrong = "wrong-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        using var server = new FtpEventServerProcess(new Dictionary<string, string> { ["FTP_USER"] = ftp.User!, ["FTP_PASSWORD"] = wrong });
        string config = Config(ftp.Port, null);
        await using var dotnet = new DotnetSubscription(server.Url, "auth", config);
        await using var node = new NodeSubscription(server.Address, "auth", config);
        foreach (var stream in new EventSubscription[] { dotnet, node })
        {
            var (code, detail) = await stream.WaitForEndAsync(Patience);
            Assert.Equal(16, code); // UNAUTHENTICATED
            Assert.Contains("refused the login", detail, StringComparison.Ordinal);
            Assert.Contains(ftp.User!, detail, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, detail, StringComparison.Ordinal);
        }

        Assert.Contains(server.Lines, l => l.Contains("FtpLoginFailed", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Lines, l => l.Contains(wrong, StringComparison.Ordinal) || l.Contains(ftp.Password!, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"Listed (\d+) files in (\d+) folders in ([\d.]+) ms", RegexOptions.CultureInvariant)]
    private static partial Regex ListedLine();
}
