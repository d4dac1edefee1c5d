using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// One Deployment running as a host process, as its pod would: the image's entrypoint (the published .NET project)
/// with the container's args and env (envFrom and secretKeyRef/configMapKeyRef resolved), Secret and ConfigMap volumes
/// as files (owner-only), emptyDir as a fresh folder, a PersistentVolumeClaim as a folder kept across sessions, and
/// ASPNETCORE_URLS on a free loopback port — the port its Services map to. Container paths in args and env are
/// rewritten to those folders. Ready when the port accepts connections; restarted with backoff when it exits, as
/// Kubernetes restarts a container; on stop it gets SIGTERM, its grace period (at most 10 s here), then its process
/// tree is killed.
/// </summary>
public sealed class HostWorkload : IAsyncDisposable
{
    private static readonly TimeSpan MaxGrace = TimeSpan.FromSeconds(10);
    private readonly WorkloadDefinition _definition;
    private readonly HostImage _image;
    private readonly LocalResources _resources;
    private readonly Action<string, string>? _log;
    private readonly Action<string>? _verbose;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _directory;
    private Process? _process;
    private Task? _supervisor;
    private int _starts;

    public HostWorkload(WorkloadDefinition definition, HostImage image, LocalResources resources, string stateDirectory, Action<string, string>? log, Action<string>? verbose)
    {
        _definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _image = image ?? throw new ArgumentNullException(nameof(image));
        _resources = resources ?? throw new ArgumentNullException(nameof(resources));
        ArgumentNullException.ThrowIfNull(stateDirectory);
        _log = log;
        _verbose = verbose;
        _directory = Path.Combine(stateDirectory, "workloads", definition.Name);
        ContainerPort = WorkloadParser.ContainerPort(definition);
        Port = ContainerPort is null ? null : FreePort();
        try
        {
            Mounts = PrepareVolumes(stateDirectory);
        }
        catch
        {
            // A Secret volume written before the one that failed must not outlive this half-built workload.
            DeleteSecretVolumes();
            _stopping.Dispose();
            throw;
        }
    }

    public WorkloadDefinition Definition => _definition;

    /// <summary>The port the container declares (what its Services target).</summary>
    public int? ContainerPort { get; }

    /// <summary>The loopback port the process listens on, or null when the container declares no port.</summary>
    public int? Port { get; }

    /// <summary>Where the pod's mount paths live on this machine.</summary>
    public IReadOnlyList<StepMount> Mounts { get; }

    /// <summary>The process's stdout and stderr, line by line (also sent to the pipeline's log as "deployment/NAME").</summary>
    public string LogPath => Path.Combine(_directory, "main.log");

    /// <summary>How many times the process was started (1 after a start without crashes).</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>The running process's id, or null between restarts.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts the process and waits until its port accepts connections (or, without a port, until it has started).</summary>
    public async Task StartAsync(TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var (argv, env, work) = Command();
        var process = Launch(argv, env, work);
        if (Port is { } port)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(readyTimeout);
            try
            {
                while (!await AcceptsAsync(port, timeout.Token).ConfigureAwait(false))
                {
                    if (process.HasExited)
                    {
                        throw new EtlException(EtlErrors.LocalWorkloadFailed, EtlErrorKind.Internal,
                            $"{_definition}: its process exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)} before listening on 127.0.0.1:{port}.",
                            $"See its log {LogPath}.", _definition.Document.Where("/spec/template"));
                    }

                    await Task.Delay(100, timeout.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Kill(process);
                throw new EtlException(EtlErrors.LocalWorkloadFailed, EtlErrorKind.Connection,
                    $"{_definition}: its process did not listen on 127.0.0.1:{port} within {readyTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                    $"See its log {LogPath}; a .NET server listens where ASPNETCORE_URLS says, which the local target sets.", _definition.Document.Where("/spec/template"));
            }
        }

        _supervisor = Task.Run(() => SuperviseAsync(argv, env, work), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        // The supervisor first: until it has returned it may relaunch, and a process started after the stop would be
        // orphaned. Once it is done, _process is the last one launched and nothing starts another.
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervisor is { } supervisor)
        {
            await supervisor.ConfigureAwait(false);
        }

        if (_process is { } process)
        {
            await StopAsync(process).ConfigureAwait(false);
        }

        // Secrets written for the process do not outlive it.
        DeleteSecretVolumes();
        _process?.Dispose();
        _stopping.Dispose();
    }

    private void DeleteSecretVolumes()
    {
        string secrets = Path.Combine(_directory, "secret-volumes");
        if (Directory.Exists(secrets))
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    // Kubernetes restarts a container that exits (restartPolicy Always), with a backoff doubling from 10 s to 5 min;
    // locally shorter (1 s to 30 s) so a crash fixed by an edit is not waited out.
    private async Task SuperviseAsync(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string work)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!_stopping.IsCancellationRequested)
        {
            var process = _process!;
            try
            {
                await process.WaitForExitAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _verbose?.Invoke($"{_definition}: its process exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}; restarting in {backoff.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (log: {LogPath}).");
            try
            {
                await Task.Delay(backoff, _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // The stop may have come as the delay ended: then no new process (DisposeAsync stops the last one).
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            process.Dispose();
            Launch(argv, env, work);
        }
    }

    private (IReadOnlyList<string> Argv, IReadOnlyDictionary<string, string> Env, string Work) Command()
    {
        string Map(string text) => StepPaths.ToHost(Mounts, _resources.RewriteAddresses(text));
        var argv = new List<string>(_image.Entrypoint);
        argv.AddRange((_definition.Container["args"] as JsonArray ?? []).Select(a => Map(a?.ToString() ?? string.Empty)));
        var env = Environment().ToDictionary(p => p.Key, p => Map(p.Value), StringComparer.Ordinal);
        if (Port is { } port)
        {
            // The manifest's ASPNETCORE_URLS names the container port on all interfaces; here the process gets a free
            // loopback port instead, which its Services are mapped to.
            env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        }

        env["DOTNET_NOLOGO"] = "1";
        string work = (string?)_definition.Container["workingDir"] is { } wd && StepPaths.HostPathOf(Mounts, wd) is { } mapped ? mapped : Path.Combine(_directory, "work");
        Directory.CreateDirectory(work);
        return (argv, env, work);
    }

    private Process Launch(IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> env, string work)
    {
        var start = new ProcessStartInfo(argv[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = work,
        };
        foreach (string arg in argv.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // The manifest's --urls would win over ASPNETCORE_URLS; the host's own ASPNETCORE_* must not leak in either.
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(_directory);
        var logFile = new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false)) { AutoFlush = true };
        var gate = new Lock();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                logFile.WriteLine(line);
            }

            _log?.Invoke($"deployment/{_definition.Name}", line);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            logFile.Dispose();
            throw new EtlException(EtlErrors.LocalWorkloadFailed, EtlErrorKind.NotInstalled, $"{_definition}: cannot start '{argv[0]}': {ex.Message}",
                "Check that the .NET SDK is on PATH.", _definition.Document.Where("/spec/template"), ex);
        }

        process.EnableRaisingEvents = true;
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Exited += (_, _) => { process.WaitForExit(); lock (gate) { logFile.Dispose(); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        _process = process;
        Interlocked.Increment(ref _starts);
        return process;
    }

    private async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        // As a container stops: SIGTERM to the main process, which may finish its work (the FTP event server compacts
        // its checkpoint) within its grace period; then everything left of its tree is killed, as the kernel kills a
        // PID namespace whose first process is gone. The tree is taken before the signal: a child whose parent has
        // exited is no longer found through it.
        var tree = Descendants(process.Id);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false, RedirectStandardError = true });
                if (kill is not null)
                {
                    await kill.WaitForExitAsync().ConfigureAwait(false);
                }

                // HasExited, not WaitForExitAsync: that also waits for the output pipes, which a child may hold open.
                var graceEnds = DateTime.UtcNow + (_definition.GracePeriod < MaxGrace ? _definition.GracePeriod : MaxGrace);
                while (!process.HasExited && DateTime.UtcNow < graceEnds)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No kill command: killed below.
            }
        }

        Kill(process);
        foreach (int pid in tree)
        {
            try
            {
                using var child = Process.GetProcessById(pid);
                Kill(child);
            }
            catch (ArgumentException)
            {
                // Gone already.
            }
        }

        // Now that nothing holds the pipes, the last lines are read.
        using var drained = new CancellationTokenSource(MaxGrace);
        try
        {
            await process.WaitForExitAsync(drained.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A grandchild that escaped the tree keeps a pipe open: its lines are lost, the stop is not held up.
        }
    }

    /// <summary>Every process below <paramref name="pid"/>, from /proc (empty where there is none).</summary>
    private static List<int> Descendants(int pid)
    {
        var parents = new Dictionary<int, int>();
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so read after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[id] = int.Parse(rest[1], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Exited while we read, or not ours to read.
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([pid]);
        while (queue.TryDequeue(out int parent))
        {
            foreach (var (child, _) in parents.Where(p => p.Value == parent))
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while we kill it.
        }
    }

    private Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        var envFrom = _definition.Container["envFrom"] as JsonArray ?? [];
        for (int i = 0; i < envFrom.Count; i++)
        {
            var from = envFrom[i]!;
            bool secret = from["secretRef"] is not null;
            var reference = from["secretRef"] ?? from["configMapRef"];
            string name = (string?)reference?["name"] ?? string.Empty;
            var data = secret ? _resources.SecretData(name) : _resources.ConfigMapData(name);
            if (data is null)
            {
                if (reference?["optional"]?.GetValueKind() == JsonValueKind.True)
                {
                    continue;
                }

                throw Missing(secret ? "Secret" : "ConfigMap", name, null, $"/envFrom/{i}");
            }

            foreach (var (key, value) in data)
            {
                env[(string?)from["prefix"] + key] = value;
            }
        }

        var list = _definition.Container["env"] as JsonArray ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            var variable = list[i]!;
            string name = (string?)variable["name"] ?? string.Empty;
            if (variable["valueFrom"] is not { } valueFrom)
            {
                env[name] = variable["value"]?.ToString() ?? string.Empty;
                continue;
            }

            bool secret = valueFrom["secretKeyRef"] is not null;
            var reference = valueFrom["secretKeyRef"] ?? valueFrom["configMapKeyRef"];
            string refName = (string?)reference?["name"] ?? string.Empty;
            string key = (string?)reference?["key"] ?? string.Empty;
            if (secret ? _resources.TrySecret(refName, key, out string value) : _resources.TryConfigMap(refName, key, out value))
            {
                env[name] = value;
            }
            else if (reference?["optional"]?.GetValueKind() != JsonValueKind.True)
            {
                throw Missing(secret ? "Secret" : "ConfigMap", refName, key, $"/env/{i}/valueFrom");
            }
        }

        return env;
    }

    /// <summary>Folders for the pod's volumes, and the mounts that map its paths to them.</summary>
    private List<StepMount> PrepareVolumes(string stateDirectory)
    {
        var folders = new Dictionary<string, (string Path, bool ReadOnly)>(StringComparer.Ordinal);
        for (int i = 0; i < _definition.Volumes.Count; i++)
        {
            var volume = _definition.Volumes[i]!.AsObject();
            string name = (string?)volume["name"] ?? string.Empty;
            if (volume["secret"] is JsonObject secret)
            {
                string secretName = (string?)secret["secretName"] ?? string.Empty;
                var data = _resources.SecretData(secretName);
                if (data is null && secret["optional"]?.GetValueKind() != JsonValueKind.True)
                {
                    throw Missing("Secret", secretName, null, null, $"/spec/template/spec/volumes/{i}");
                }

                folders[name] = (WriteFiles(Path.Combine(_directory, "secret-volumes", name), data), true);
            }
            else if (volume["configMap"] is JsonObject map)
            {
                string mapName = (string?)map["name"] ?? string.Empty;
                var data = _resources.ConfigMapData(mapName);
                if (data is null && map["optional"]?.GetValueKind() != JsonValueKind.True)
                {
                    throw Missing("ConfigMap", mapName, null, null, $"/spec/template/spec/volumes/{i}");
                }

                folders[name] = (WriteFiles(Path.Combine(_directory, "configmap-volumes", name), data), true);
            }
            else if (volume["emptyDir"] is not null)
            {
                // An emptyDir lives as long as its pod: empty at every start.
                string folder = Path.Combine(_directory, "empty-dirs", name);
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                Directory.CreateDirectory(folder);
                folders[name] = (folder, false);
            }
            else if ((string?)volume["persistentVolumeClaim"]?["claimName"] is { } claim)
            {
                // A claim outlives pods and sessions: one folder per claim name, shared by whoever mounts it.
                string folder = Path.Combine(stateDirectory, "volumes", claim);
                Directory.CreateDirectory(folder);
                folders[name] = (folder, volume["persistentVolumeClaim"]?["readOnly"]?.GetValueKind() == JsonValueKind.True);
            }
        }

        var mounts = new List<StepMount>();
        foreach (var mount in _definition.Container["volumeMounts"] as JsonArray ?? [])
        {
            var (path, readOnly) = folders[(string?)mount?["name"] ?? string.Empty];
            mounts.Add(new StepMount(path, (string?)mount?["mountPath"] ?? "/", readOnly || mount?["readOnly"]?.GetValueKind() == JsonValueKind.True));
        }

        return mounts;
    }

    // Files of a Secret or ConfigMap as the kubelet projects them: one per key; owner-only, since they may be credentials.
    private static string WriteFiles(string folder, IReadOnlyDictionary<string, string>? data)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var (key, value) in data ?? new Dictionary<string, string>())
        {
            string file = Path.Combine(folder, key);
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(file, options))
            {
                stream.Write(Encoding.UTF8.GetBytes(value));
            }
        }

        return folder;
    }

    private EtlException Missing(string kind, string name, string? key, string? containerPointer, string? pointer = null)
    {
        string at = pointer is null ? _definition.Where(containerPointer!) : _definition.Document.Where(pointer);
        string what = key is null ? $"{kind} '{name}'" : $"key '{key}' of {kind} '{name}'";
        return new EtlException(EtlErrors.LocalReferenceNotFound, EtlErrorKind.NotFound,
            $"{_definition}: {what} at {at} is provided by nobody: no manifest of the project defines it, and the local target has no such folder under secrets/.",
            kind == "Secret"
                ? $"Create it locally as files, one per key, in <state>/secrets/{name}/ (what a mounted Secret looks like; e.g. printf %s \"$VALUE\" > .argoetl/local/secrets/{name}/KEY), or add it to the manifests."
                : $"Add the ConfigMap '{name}' to the project's manifests.",
            at);
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
