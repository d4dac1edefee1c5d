using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ArgoEtl.Bench;

/// <summary>
/// Process start to first input read: argoetl-etl reads a named pipe, and opening a pipe for writing returns only when
/// the reader has opened it, which the converter does right before its first read. So the time from Process.Start to
/// our open returning is the step's start-up as a container sees it (runtime start, argument parsing, JIT or not).
/// </summary>
internal sealed class Startup
{
    private readonly List<double> _milliseconds = [];

    public static Startup Measure(EtlCommand etl, string dir, int runs)
    {
        var result = new Startup();
        string fifo = Path.Combine(dir, "startup.fifo");
        string output = Path.Combine(dir, "startup.ndjson");
        for (int i = 0; i < runs; i++)
        {
            File.Delete(fifo);
            using (var mk = Process.Start("mkfifo", [fifo]))
            {
                mk.WaitForExit();
            }

            var start = new ProcessStartInfo(etl.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in etl.Arguments.Concat(["--input", fifo, "--output", output, "--format", "json", "--schema", "a:int32"]))
            {
                start.ArgumentList.Add(a);
            }

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var open = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write));
            if (!open.Wait(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new InvalidOperationException($"argoetl-etl did not open its input within 60 s: {stderr.Result}");
            }

            double ms = clock.Elapsed.TotalMilliseconds;
            using (var pipe = open.Result)
            {
                pipe.Write("a\n1\n"u8);
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"argoetl-etl exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
            }

            result._milliseconds.Add(ms);
        }

        File.Delete(fifo);
        File.Delete(output);
        return result;
    }

    public string ToMarkdown(EtlCommand etl)
    {
        var sorted = _milliseconds.Order().ToList();
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| argoetl-etl build | start → input opened, min (ms) | median (ms) | runs | published folder (MB) | load |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        sb.AppendLine(string.Create(inv,
            $"| {etl.Description} | {sorted[0]:0} | {sorted[sorted.Count / 2]:0} | {sorted.Count} | {(etl.FolderBytes() is { } bytes ? EtlCommand.Megabytes(bytes) : "–")} | {Load.Now()} |"));
        return sb.ToString();
    }
}
