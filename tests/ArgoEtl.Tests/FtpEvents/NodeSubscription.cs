using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ArgoEtl.Testing;

namespace ArgoEtl.Tests.FtpEvents;

/// <summary>
/// The independent client: tests/grpc-node/stream.js (grpc-js + proto-loader loading the upstream generic.proto), as a
/// node process printing one JSON line per event.
/// </summary>
public sealed class NodeSubscription : EventSubscription
{
    private readonly Process _process;
    private readonly ConcurrentQueue<ReceivedEvent> _events = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly string _configFile;
    private bool _disposed;

    public NodeSubscription(string address, string name, string config)
    {
        ArgoEtl.Testing.Substrates.EnsureGrpcNode();
        _configFile = Path.Combine(Path.GetTempPath(), $"argoetl-grpc-node-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(_configFile, config);
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = ArgoEtl.Testing.Substrates.GrpcNodeDirectory };
        start.ArgumentList.Add(Path.Combine(ArgoEtl.Testing.Substrates.GrpcNodeDirectory, "stream.js"));
        start.ArgumentList.Add(address);
        start.ArgumentList.Add(name);
        start.ArgumentList.Add(_configFile);
        start.ArgumentList.Add(Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "src", "ArgoEtl.FtpEvents", "Protos", "generic.proto"));
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _errors.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public override IReadOnlyList<ReceivedEvent> Events => [.. _events];

    public override (int Code, string Detail)? Ended => _ended;

    private (int Code, string Detail)? _ended;

    public string Errors => string.Join('\n', _errors);

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.TryGetProperty("end", out var end))
        {
            _ended = (end.GetProperty("code").GetInt32(), end.GetProperty("details").GetString() ?? string.Empty);
        }
        else if (root.TryGetProperty("payload", out var payload))
        {
            _events.Enqueue(ReceivedEvent.FromPayload(root.GetProperty("name").GetString()!, payload.GetRawText()));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        File.Delete(_configFile);
    }
}
