using System.Globalization;
using ArgoEtl.Bench;

// bench run|startup [--dir DIR] [--out DIR] [--repeat N] [--sizes 200,1000] [--datasets narrow,wide] [--formats parquet,json]
//           [--threads 1,2] [--no-python] [--aot | --etl PATH] [--markdown FILE]
// Each case runs in its own process so that its peak RSS is its own. DuckDB and argoetl-etl run --repeat times,
// interleaved (DuckDB, ours, DuckDB, ours ...) so that a load spike from other work on the machine hits both alike, and
// the fastest run of each is reported (the least disturbed one); peak RSS is the largest of the runs. The Python script,
// at 10x the time, runs once. Internal: duckdb-convert CSV OUT FORMAT THREADS DATASET.
var inv = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "duckdb-convert")
{
    DuckDbCases.Convert(args[1], args[2], args[3], int.Parse(args[4], inv), Dataset.All.Single(d => d.Name == args[5]));
    return 0;
}

const string Usage = "usage: ArgoEtl.Bench run|startup [--dir DIR] [--out DIR] [--repeat N] [--sizes 200,1000] [--datasets narrow,wide] [--formats parquet,json] [--threads 1,2] [--no-python] [--aot | --etl PATH] [--markdown FILE]";
if (args.Length == 0 || args[0] is not ("run" or "startup"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

string Option(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

string dir = Option("--dir", Path.Combine(Path.GetTempPath(), "argoetl-bench"));

// Outputs can go to a RAM disk (--out /dev/shm) so that the disk's write-back does not decide the result.
string outDir = Option("--out", dir);
int repeat = int.Parse(Option("--repeat", "3"), inv);
int[] sizes = Option("--sizes", "200,1000").Split(',').Select(s => int.Parse(s, inv)).ToArray();
var datasets = Option("--datasets", "narrow,wide").Split(',').Select(n => Dataset.All.Single(d => d.Name == n)).ToArray();
string[] formats = Option("--formats", "parquet,json").Split(',');
int[] threadCounts = Option("--threads", "1,2").Split(',').Select(s => int.Parse(s, inv)).ToArray();
bool python = !args.Contains("--no-python");
string? markdown = args.Contains("--markdown") ? Option("--markdown", "") : null;
Directory.CreateDirectory(dir);
Directory.CreateDirectory(outDir);

string here = AppContext.BaseDirectory;
string self = Environment.ProcessPath!;

// The converter under test: the JIT build beside the bench (run with dotnet), a given program, or (--aot) the NativeAOT
// build published for this run, which is what the container image ships when built with -p:PublishAot=true.
var etl = args.Contains("--aot") ? EtlCommand.PublishAot(Path.Combine(dir, "argoetl-etl-aot"))
    : args.Contains("--etl") ? EtlCommand.For(Option("--etl", ""))
    : EtlCommand.For(Path.Combine(here, "ArgoEtl.Etl.dll"));
var report = new Report();
Console.Error.WriteLine($"argoetl-etl: {etl.Description}; {Environment.ProcessorCount} cores; load {Load.Now()}");
if (args[0] == "startup")
{
    // Only the start-up table: bench startup [--aot | --etl PATH] [--repeat N].
    Console.WriteLine(Startup.Measure(etl, dir, Math.Max(5, repeat * 3)).ToMarkdown(etl));
    return 0;
}

foreach (var dataset in datasets)
{
    foreach (int size in sizes)
    {
        string csv = Path.Combine(dir, $"{dataset.Name}-{size}mb.csv");
        if (!File.Exists(csv) || new FileInfo(csv).Length < size * 1_000_000L)
        {
            Console.Error.WriteLine($"generating {csv}");
            dataset.Generate(csv, size * 1_000_000L);
        }

        double mb = new FileInfo(csv).Length / 1_000_000.0;
        string file = Path.GetFileName(csv);
        string expected = DuckDbCases.Signature(csv, "csv", dataset);
        foreach (string format in formats)
        {
            string ext = format == "json" ? "ndjson" : "parquet";
            foreach (int threads in threadCounts)
            {
                string duckOut = Path.Combine(outDir, $"{dataset.Name}-{size}-duckdb-t{threads}.{ext}");
                string ourOut = Path.Combine(outDir, $"{dataset.Name}-{size}-argoetl-t{threads}.{ext}");
                string load = Load.Now();
                var duckRuns = new List<Measurement>();
                var ourRuns = new List<Measurement>();
                for (int r = 0; r < Math.Max(1, repeat); r++)
                {
                    duckRuns.Add(Measurement.Run(self, ["duckdb-convert", csv, duckOut, format, threads.ToString(inv), dataset.Name], threads == 1));
                    ourRuns.Add(Measurement.Run(etl.FileName, [.. etl.Arguments, "--input", csv, "--output", ourOut, "--format", format, "--schema", dataset.Schema, "--threads", threads.ToString(inv)], threads == 1));
                }

                // Each output is checked, so both tools' outputs of the last run must hold the input's data.
                report.Add(file, mb, format, "DuckDB", threads, Measurement.Best(duckRuns), DuckDbCases.Signature(duckOut, format, dataset) == expected, load);
                report.Add(file, mb, format, "argoetl-etl", threads, Measurement.Best(ourRuns), DuckDbCases.Signature(ourOut, format, dataset) == expected, load);
                File.Delete(duckOut);
                File.Delete(ourOut);
            }

            // Python is compared with DuckDB at threads=1, so it runs only when that case does.
            if (format == "json" && python && threadCounts.Contains(1))
            {
                string pyOut = Path.Combine(outDir, $"{dataset.Name}-{size}-python.ndjson");
                string load = Load.Now();
                var py = Measurement.Run("python3", [Path.Combine(here, "csv_to_ndjson.py"), csv, pyOut, dataset.Schema], oneCore: true);
                report.Add(file, mb, format, "Python csv+json", 1, py, DuckDbCases.Signature(pyOut, format, dataset) == expected, load);
                File.Delete(pyOut);
            }
        }
    }
}

var startup = Startup.Measure(etl, dir, Math.Max(5, repeat * 3));
string table = report.ToMarkdown() + Environment.NewLine + startup.ToMarkdown(etl) + Environment.NewLine +
    $"argoetl-etl: {etl.Description}. Load: the 1-minute load average when each case started ({Environment.ProcessorCount} cores); " +
    $"time is the fastest of {Math.Max(1, repeat)} interleaved runs, peak RSS the largest.{Environment.NewLine}";
Console.WriteLine(table);
if (markdown is not null)
{
    File.WriteAllText(markdown, table);
}

return report.AllSameData ? 0 : 1;
