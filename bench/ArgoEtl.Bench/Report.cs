using System.Globalization;
using System.Text;

namespace ArgoEtl.Bench;

/// <summary>The results table, with each tool's speed relative to DuckDB on the same file, format and thread count.</summary>
internal sealed class Report
{
    private readonly List<Row> _rows = [];

    public bool AllSameData => _rows.All(r => r.SameData);

    public void Add(string file, double megabytes, string format, string tool, int threads, Measurement m, bool sameData, string load)
    {
        _rows.Add(new Row(file, megabytes, format, tool, threads, m, sameData, load));
        Console.Error.WriteLine($"{file} {format} {tool} t={threads}: {m.Seconds:0.00} s, {m.PeakRssMb:0} MB RSS, same data: {sameData}, load {load}");
    }

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| file | output | threads | tool | time (s) | MB/s | peak RSS (MB) | speed vs DuckDB | same data | load |");
        sb.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---|---:|");
        foreach (var r in _rows)
        {
            // Python is single-threaded; its ratio is against DuckDB at threads=1.
            var duck = _rows.Single(d => d.File == r.File && d.Format == r.Format && d.Tool == "DuckDB" && d.Threads == r.Threads);
            sb.AppendLine(string.Create(inv,
                $"| {r.File} | {(r.Format == "json" ? "NDJSON" : "Parquet")} | {r.Threads} | {r.Tool} | {r.M.Seconds:0.00} | {r.Megabytes / r.M.Seconds:0} | {r.M.PeakRssMb:0} | {duck.M.Seconds / r.M.Seconds:0.00}× | {(r.SameData ? "yes" : "**NO**")} | {r.Load} |"));
        }

        return sb.ToString();
    }

    private sealed record Row(string File, double Megabytes, string Format, string Tool, int Threads, Measurement M, bool SameData, string Load);
}
