using System.Globalization;
using ArgoEtl.Bench;

// bench run [--dir DIR] [--out DIR] [--repeat N] [--sizes 200,1000] [--datasets narrow,wide] [--formats parquet,json] [--no-python] [--markdown FILE]
// Each case runs in its own process so that its peak RSS is its own; DuckDB and argoetl-etl run --repeat times and the
// median run is reported (the Python script, at 10x the time, once). Internal: duckdb-convert CSV OUT FORMAT THREADS DATASET.
var inv = CultureInfo.InvariantCulture;
if (args.Length > 0 && args[0] == "duckdb-convert")
{
    DuckDbCases.Convert(args[1], args[2], args[3], int.Parse(args[4], inv), Dataset.All.Single(d => d.Name == args[5]));
    return 0;
}

if (args.Length == 0 || args[0] != "run")
{
    Console.Error.WriteLine("usage: ArgoEtl.Bench run [--dir DIR] [--out DIR] [--repeat N] [--sizes 200,1000] [--datasets narrow,wide] [--formats parquet,json] [--no-python] [--markdown FILE]");
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
bool python = !args.Contains("--no-python");
string? markdown = args.Contains("--markdown") ? Option("--markdown", "") : null;
Directory.CreateDirectory(dir);
Directory.CreateDirectory(outDir);

string here = AppContext.BaseDirectory;
string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
string etl = Path.Combine(here, "ArgoEtl.Etl.dll");
string self = Environment.ProcessPath!;
var report = new Report();

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
            foreach (int threads in new[] { 1, 2 })
            {
                string duckOut = Path.Combine(outDir, $"{dataset.Name}-{size}-duckdb-t{threads}.{ext}");
                var duck = Measurement.Median(repeat, () => Measurement.Run(self, ["duckdb-convert", csv, duckOut, format, threads.ToString(inv), dataset.Name], threads == 1));
                report.Add(file, mb, format, "DuckDB", threads, duck, DuckDbCases.Signature(duckOut, format, dataset) == expected);

                string ourOut = Path.Combine(outDir, $"{dataset.Name}-{size}-argoetl-t{threads}.{ext}");
                var ours = Measurement.Median(repeat, () => Measurement.Run(dotnet, [etl, "--input", csv, "--output", ourOut, "--format", format, "--schema", dataset.Schema], threads == 1));
                report.Add(file, mb, format, "argoetl-etl", threads, ours, DuckDbCases.Signature(ourOut, format, dataset) == expected);
                File.Delete(duckOut);
                File.Delete(ourOut);
            }

            if (format == "json" && python)
            {
                string pyOut = Path.Combine(outDir, $"{dataset.Name}-{size}-python.ndjson");
                var py = Measurement.Run("python3", [Path.Combine(here, "csv_to_ndjson.py"), csv, pyOut, dataset.Schema], oneCore: true);
                report.Add(file, mb, format, "Python csv+json", 1, py, DuckDbCases.Signature(pyOut, format, dataset) == expected);
                File.Delete(pyOut);
            }
        }
    }
}

string table = report.ToMarkdown();
Console.WriteLine(table);
if (markdown is not null)
{
    File.WriteAllText(markdown, table);
}

return report.AllSameData ? 0 : 1;
