using System.Text;

namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>A step's log file and live feed: each line goes to the file (flushed, so a tail sees it) and to the sink as it is written.</summary>
internal sealed class StepLog : IDisposable
{
    // Argo caps outputs.result at 256 kB; past it the rest of stdout is still logged, not kept.
    private const int StdoutCap = 256 * 1024;
    private readonly StreamWriter _file;
    private readonly Action<string>? _onLine;
    private readonly StringBuilder _stdout = new();
    private readonly Lock _gate = new();

    public StepLog(string path, Action<string>? onLine)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _file = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true };
        _onLine = onLine;
    }

    public string Stdout
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public void Line(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _file.WriteLine(line);
            if (stdout && _stdout.Length < StdoutCap)
            {
                _stdout.Append(line).Append('\n');
            }
        }

        _onLine?.Invoke(line);
    }

    public void Dispose() => _file.Dispose();
}
