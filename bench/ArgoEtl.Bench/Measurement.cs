using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Bench;

/// <summary>Wall time and peak resident memory of one child process, as GNU time reports them.</summary>
internal sealed record Measurement(double Seconds, double PeakRssMb)
{
    /// <summary>
    /// The fastest wall time (on a shared machine the least disturbed run: others only ever add time) with the largest
    /// peak RSS of the runs (memory is not helped by luck, so the worst is the honest figure).
    /// </summary>
    public static Measurement Best(IReadOnlyList<Measurement> runs) => new(runs.Min(m => m.Seconds), runs.Max(m => m.PeakRssMb));

    /// <summary>
    /// Runs the command under /usr/bin/time. With <paramref name="oneCore"/> the child is pinned to one CPU (taskset)
    /// and told so (DOTNET_PROCESSOR_COUNT), so that threads=1 is one core for the process as a whole, whatever threads it starts.
    /// </summary>
    public static Measurement Run(string fileName, IEnumerable<string> arguments, bool oneCore)
    {
        string timeFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-f", "%e %M", "-o", timeFile })
            {
                start.ArgumentList.Add(a);
            }

            if (oneCore)
            {
                start.ArgumentList.Add("taskset");
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("0");
                start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
            }

            start.ArgumentList.Add(fileName);
            foreach (var a in arguments)
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{fileName} {string.Join(' ', start.ArgumentList)} exited {process.ExitCode}:\n{stderr.Result}{stdout.Result}");
            }

            var parts = File.ReadAllText(timeFile).Trim().Split(' ');
            return new Measurement(
                double.Parse(parts[0], CultureInfo.InvariantCulture),
                double.Parse(parts[1], CultureInfo.InvariantCulture) / 1024.0);
        }
        finally
        {
            File.Delete(timeFile);
        }
    }
}
