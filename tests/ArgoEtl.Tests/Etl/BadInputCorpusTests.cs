using System.Text.Json;
using ArgoEtl.Etl.Cli;
using ArgoEtl.Etl.Transform;

namespace ArgoEtl.Tests.Etl;

/// <summary>
/// The bad-input corpus (Etl/BadInput/cases.json): every CSV runs through the library (EtlRunner, as the cmdlet uses
/// it) and through the real argoetl-etl process. An expected error must come with its code (and exit code), publish
/// nothing and leave no folder it created; expected rows must be written exactly.
/// </summary>
public sealed class BadInputCorpusTests
{
    private static readonly string CorpusDir = Path.Combine(AppContext.BaseDirectory, "Etl", "BadInput");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load().Values)
        {
            data.Add(c.File);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_40_csv_files_each_with_an_expectation()
    {
        var cases = Load();
        Assert.True(Directory.GetFiles(CorpusDir, "*.csv").Length >= 40);
        Assert.True(cases.Count >= 40);
        Assert.All(cases.Values, c => Assert.True((c.Code is null) != (c.Rows is null), c.File));
        Assert.All(Directory.GetFiles(CorpusDir, "*.csv"), f => Assert.Contains(Path.GetFileName(f), cases.Keys));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Library(string file)
    {
        var c = Load()[file];
        using var dir = new TempDir();
        string input = dir.Copy(Path.Combine(CorpusDir, file));
        string output = Path.Combine(dir.Path, "out", "sub", "result.json");
        EtlException? error = null;
        try
        {
            var parsed = CliArguments.Parse(["-i", input, "-o", output, .. c.Args]);
            using var runner = new EtlRunner();
            foreach (var job in parsed.ToJobs(_ => throw new InvalidOperationException("no event")))
            {
                await runner.RunAsync(job);
            }
        }
        catch (EtlException ex)
        {
            error = ex;
        }

        if (c.Code is not null)
        {
            Assert.NotNull(error);
            Assert.Equal(c.Code, error.Code);
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")), "a failed run leaves no folder it created");
        }
        else
        {
            Assert.Null(error);
            Assert.Equal(c.Rows!, ReadLines(output));
            Assert.DoesNotContain(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!), e => Path.GetFileName(e).StartsWith(".argoetl", StringComparison.Ordinal));
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(CorpusDir, file)), File.ReadAllBytes(input));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Process(string file)
    {
        var c = Load()[file];
        using var dir = new TempDir();
        string input = dir.Copy(Path.Combine(CorpusDir, file));
        string output = Path.Combine(dir.Path, "out", "result.json");
        var (exit, _, stderr) = EtlProcess.Run(["-i", input, "-o", output, .. c.Args]);
        EtlProcess.AssertNoCrash(stderr);
        if (c.Code is not null)
        {
            Assert.Equal(c.Exit, exit);
            Assert.Contains($"error[{c.Code}]", stderr, StringComparison.Ordinal);
            Assert.Contains("hint:", stderr, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
        }
        else
        {
            Assert.True(exit == 0, stderr);
            Assert.Equal(c.Rows!, ReadLines(output));
        }

        if (c.Stderr is not null)
        {
            Assert.Contains(c.Stderr, stderr, StringComparison.Ordinal);
        }
    }

    private static string[] ReadLines(string path) =>
        File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, CorpusCase> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusDir, "cases.json")));
        var result = new Dictionary<string, CorpusCase>(StringComparer.Ordinal);
        foreach (var e in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var c = new CorpusCase(
                e.GetProperty("file").GetString()!,
                e.TryGetProperty("args", out var a) ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [],
                e.TryGetProperty("code", out var code) ? code.GetString() : null,
                e.TryGetProperty("exit", out var exit) ? exit.GetInt32() : 0,
                e.TryGetProperty("rows", out var rows) ? rows.EnumerateArray().Select(x => x.GetString()!).ToArray() : null,
                e.TryGetProperty("stderr", out var s) ? s.GetString() : null);
            result.Add(c.File, c);
        }

        return result;
    }

    private sealed record CorpusCase(string File, string[] Args, string? Code, int Exit, string[]? Rows, string? Stderr);
}

/// <summary>A fresh folder under the temp path, removed with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "argoetl-test-" + Guid.NewGuid().ToString("N"));

    public string Copy(string file, string? name = null)
    {
        string target = System.IO.Path.Combine(Path, name ?? System.IO.Path.GetFileName(file));
        File.Copy(file, target);
        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder does not change a test's outcome.
        }
    }
}
