using System.Collections.Concurrent;
using System.Net;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Pipeline;
using ArgoEtl.Tests.Etl;
using ArgoEtl.Tests.FtpEvents;
using Xunit.Abstractions;

namespace ArgoEtl.Tests.Local.Workloads;

/// <summary>
/// examples/ftp end to end on the local target, as Start-EtlDev -Target Local runs it (profile 'host'): both .NET
/// projects published, the event server started as a host process from its Deployment (Secret files, checkpoint
/// volume, ASPNETCORE_URLS), the generic EventSource dialling it through its Service name, real vsftpd. scores.csv is
/// uploaded over FTP; the Sensor's Workflow reads it over ftp:// and writes Parquet into the local store.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FtpPipelineEndToEndTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_csv_uploaded_over_ftp_becomes_parquet_in_the_local_store_with_the_same_rows()
    {
        using var harness = ArgoEtl.Testing.Substrates.StartVsftpdWithUser();
        using var ftp = new RestartableVsftpd(harness); // several passive ports: the watcher polls while the step downloads
        using var example = new FtpExampleCopy(ftp.Port);
        example.WriteFtpSecret(harness.User!, harness.Password!);
        example.ShareBuilds();

        var profile = SkaffoldProject.Load(example.Directory, new ProjectContext("dev", "none", new Dictionary<string, string>())).Select(["host"])[0];
        var lines = new ConcurrentQueue<string>();
        var progress = new Progress(lines);
        var (documents, images) = await LocalProject.PrepareAsync(profile, example.StateDirectory, progress, CancellationToken.None);

        var finished = new TaskCompletionSource<EtlWorkflowRun>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new LocalPipelineOptions
        {
            StateDirectory = example.StateDirectory,
            Images = images,
            StartEventSources = true,
            StepLog = (node, line) => lines.Enqueue($"[{node}] {line}"),
            Verbose = lines.Enqueue,
            TriggerFailed = error => finished.TrySetException(error),
        };

        int? serverPid;
        await using (var pipeline = await LocalPipeline.StartAsync(documents, options, CancellationToken.None))
        {
            pipeline.RunFinished += (_, run) => finished.TrySetResult(run);
            var server = Assert.Single(pipeline.Workloads!.Workloads);
            Assert.Equal("ftp-events", server.Definition.Name);
            serverPid = server.ProcessId;
            Assert.NotNull(serverPid);

            // Dialled through the Service name: the EventSource's url ftp-events:8080 now names the process's port.
            var source = Assert.IsType<ArgoEtl.Core.Targets.Local.Events.GenericEventDefinition>(Assert.Single(pipeline.EventSources));
            Assert.Equal($"127.0.0.1:{server.Port}", source.Url);

            // startFrom: now — only files that arrive after the first poll count, as a user's upload does.
            await WaitForAsync(() => lines.Any(l => l.Contains("Listed ", StringComparison.Ordinal)), "the event server's first poll", lines);
            Upload(harness.User!, harness.Password!, ftp.Port, "/upload/scores.csv", Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", "data", "scores.csv"));

            var run = await finished.Task.WaitAsync(Patience);
            Dump(lines);
            Assert.Equal(EtlRunPhase.Succeeded, run.Phase);

            string parquet = Path.Combine(pipeline.BucketsDirectory, "etl", "output", "scores.parquet");
            Assert.True(File.Exists(parquet), $"no {parquet}");
            await using var stream = File.OpenRead(parquet);
            var (columns, _, _) = await TransformTestKit.ReadParquetAsync(stream);
            Assert.Equal(new object?[] { 1L, 2L, 3L, 4L, 5L }, columns["no"].Select(v => v is int i ? (long)i : v));
            Assert.Equal(new object?[] { "Kim Minji", "Lee, Jiwoo", "Park \"PJ\" Seo", "최유나", "Jung\nHoseok" }, columns["name"]);
            Assert.Equal(new object?[] { 87L, 92L, null, 78L, 65L }, columns["score"].Select(v => v is int i ? (long)i : v));
            Assert.Equal(new object?[] { true, true, false, true, false }, columns["passed"]);

            // The checkpoint went to the claim's folder (the config's container path rewritten), not to /var/lib.
            Assert.True(File.Exists(Path.Combine(example.StateDirectory, "volumes", "ftp-events-checkpoint", "csv.json"))
                || File.Exists(Path.Combine(example.StateDirectory, "volumes", "ftp-events-checkpoint", "csv.json.journal")));
        }

        // Stopped with the session: its process is gone, its Secret files removed, the password in no log line.
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(serverPid!.Value));
        Assert.False(Directory.Exists(Path.Combine(example.StateDirectory, "workloads", "ftp-events", "secret-volumes")));
        string serverLog = await File.ReadAllTextAsync(Path.Combine(example.StateDirectory, "workloads", "ftp-events", "main.log"));
        Assert.Contains("Listed ", serverLog, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Password!, serverLog, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains(harness.Password!, StringComparison.Ordinal));
    }

#pragma warning disable SYSLIB0014 // FtpWebRequest: an FTP client that is not ours, uploading the way a user would.
    private static void Upload(string user, string password, int port, string path, string file)
    {
        var put = (FtpWebRequest)WebRequest.Create($"ftp://127.0.0.1:{port}{path}");
        put.Method = WebRequestMethods.Ftp.UploadFile;
        put.UseBinary = true;
        put.UsePassive = true;
        put.Credentials = new NetworkCredential(user, password);
        using (var body = put.GetRequestStream())
        {
            body.Write(File.ReadAllBytes(file));
        }

        using (put.GetResponse())
        {
        }
    }
#pragma warning restore SYSLIB0014

    private static async Task WaitForAsync(Func<bool> condition, string what, ConcurrentQueue<string> lines)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}:\n{string.Join('\n', lines)}");
            }

            await Task.Delay(200);
        }
    }

    private void Dump(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            output.WriteLine(line);
        }
    }

    private sealed class Progress(ConcurrentQueue<string> lines) : IProgress<DevEvent>
    {
        public void Report(DevEvent value) => lines.Enqueue($"{value.Phase}: {value.Message}");
    }
}
