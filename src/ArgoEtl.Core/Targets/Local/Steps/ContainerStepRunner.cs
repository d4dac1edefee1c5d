using System.Diagnostics;
using System.Text.Json;

namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>
/// Runs a step in a container from a local image (never pulled: the build phase made it, or the user pulled it).
/// buildah: `buildah from --pull=never`, then `buildah run --isolation chroot --network host` with the step's env,
/// working dir and mounts, then `buildah rm` — no daemon, no network setup (host network). Storage is vfs under an
/// ArgoEtl-owned folder (by default the same one the image builders use, so images they built are found here).
/// docker/podman: `run --rm --network host`. The node folder's mounts carry output files out and input artifacts in.
/// </summary>
public sealed class ContainerStepRunner(ContainerEngine engine, string? buildahRoot = null) : IStepRunner
{
    public ContainerEngine Engine { get; } = engine;

    /// <summary>docker when its engine answers, else podman, else buildah; null when none is on PATH.</summary>
    public static ContainerEngine? Detect()
    {
        if (Answers("docker", "info", "--format", "{{.ServerVersion}}"))
        {
            return ContainerEngine.Docker;
        }

        if (Answers("podman", "--version"))
        {
            return ContainerEngine.Podman;
        }

        return Answers("buildah", "--version") ? ContainerEngine.Buildah : null;
    }

    // The same storage and containers.conf the image builders use, so images they built are found here and buildah
    // never guesses its network backend.
    private readonly Lazy<Images.BuildahStorage> _buildah = new(() => new Images.BuildahStorage(buildahRoot));

    /// <summary>The buildah settings steps run with (vfs storage under the ArgoEtl folder or the one given).</summary>
    public Images.BuildahStorage Buildah => _buildah.Value;

    private string Tool => Engine switch { ContainerEngine.Docker => "docker", ContainerEngine.Podman => "podman", _ => "buildah" };

    private IReadOnlyList<string> Prefix => Engine == ContainerEngine.Buildah ? Buildah.Arguments : [];

    private IReadOnlyDictionary<string, string> ToolEnvironment => Engine == ContainerEngine.Buildah ? Buildah.Environment : new Dictionary<string, string>();

    /// <summary>Whether <paramref name="image"/> is in local storage.</summary>
    public async Task<bool> HasImageAsync(string image, CancellationToken cancellationToken)
    {
        string[] args = Engine == ContainerEngine.Buildah ? [.. Prefix, "inspect", "--type", "image", image] : ["image", "inspect", image];
        var (code, _) = await CaptureAsync(Tool, args, cancellationToken).ConfigureAwait(false);
        return code == 0;
    }

    public async Task<StepResult> RunAsync(StepRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await StepProcess.WriteFilesAsync(request, text => text, cancellationToken).ConfigureAwait(false);
        return Engine == ContainerEngine.Buildah
            ? await RunBuildahAsync(request, cancellationToken).ConfigureAwait(false)
            : await RunDockerAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepResult> RunDockerAsync(StepRequest request, CancellationToken cancellationToken)
    {
        string name = "argoetl-" + Guid.NewGuid().ToString("N")[..12];
        var argv = new List<string> { Tool, "run", "--rm", "--name", name, "--network", "host", "--pull", "never" };
        foreach (var (key, value) in request.Environment)
        {
            argv.Add("-e");
            argv.Add($"{key}={value}");
        }

        if (request.WorkingDirectory is { } wd)
        {
            argv.Add("-w");
            argv.Add(wd);
        }

        foreach (var mount in request.Mounts)
        {
            argv.Add("-v");
            argv.Add($"{mount.HostPath}:{mount.ContainerPath}{(mount.ReadOnly ? ":ro" : string.Empty)}");
        }

        if (request.Command.Count > 0)
        {
            argv.Add("--entrypoint");
            argv.Add(request.Command[0]);
        }

        argv.Add(request.Image);
        argv.AddRange(request.Command.Skip(1));
        argv.AddRange(request.Args);

        // Killing the client does not stop the container: remove it by name.
        async Task Remove() => await CaptureAsync(Tool, ["rm", "-f", name], CancellationToken.None).ConfigureAwait(false);
        var outcome = await StepProcess.RunAsync(request, argv, ToolEnvironment, request.NodeDirectory, Remove, cancellationToken).ConfigureAwait(false);
        return new StepResult(outcome.ExitCode, request.LogPath, outcome.Duration, outcome.DeadlineExceeded, outcome.Stdout);
    }

    private async Task<StepResult> RunBuildahAsync(StepRequest request, CancellationToken cancellationToken)
    {
        var (fromCode, fromOut) = await CaptureAsync("buildah", [.. Prefix, "from", "--pull=never", "--quiet", request.Image], cancellationToken).ConfigureAwait(false);
        if (fromCode != 0)
        {
            throw new EtlException(EtlErrors.LocalImageUnavailable, $"Step '{request.NodeName}': buildah cannot use image '{request.Image}': {fromOut.Trim()}",
                $"Build the image with the project (Start-EtlDev builds skaffold.yaml's artifacts), or put it into the local storage with 'buildah {string.Join(' ', Prefix)} pull {request.Image}'.", request.Image);
        }

        string container = fromOut.Trim().Split('\n')[^1].Trim();
        try
        {
            var command = request.Command.ToList();
            var args = request.Args.ToList();
            if (command.Count == 0)
            {
                // buildah run needs the argv: the image's entrypoint, and its cmd unless the step gives args (Docker's rule).
                var (_, config) = await CaptureAsync("buildah", [.. Prefix, "inspect", "--type", "container", "--format", "{{json .OCIv1.Config}}", container], cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(config) ? "{}" : config);
                command.AddRange(Strings(doc.RootElement, "Entrypoint"));
                if (args.Count == 0)
                {
                    args.AddRange(Strings(doc.RootElement, "Cmd"));
                }
            }

            var argv = new List<string> { "buildah" };
            argv.AddRange(Prefix);
            argv.AddRange(["run", "--isolation", "chroot", "--network", "host"]);
            foreach (var (key, value) in request.Environment)
            {
                argv.Add("--env");
                argv.Add($"{key}={value}");
            }

            if (request.WorkingDirectory is { } wd)
            {
                argv.Add("--workingdir");
                argv.Add(wd);
            }

            foreach (var mount in request.Mounts)
            {
                argv.Add("-v");
                argv.Add($"{mount.HostPath}:{mount.ContainerPath}:{(mount.ReadOnly ? "ro" : "rw")}");
            }

            argv.Add(container);
            argv.Add("--");
            argv.AddRange(command);
            argv.AddRange(args);
            var outcome = await StepProcess.RunAsync(request, argv, ToolEnvironment, request.NodeDirectory, null, cancellationToken).ConfigureAwait(false);
            return new StepResult(outcome.ExitCode, request.LogPath, outcome.Duration, outcome.DeadlineExceeded, outcome.Stdout);
        }
        finally
        {
            await CaptureAsync("buildah", [.. Prefix, "rm", container], CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static List<string> Strings(JsonElement config, string name) =>
        config.ValueKind == JsonValueKind.Object && config.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList()
            : [];

    private async Task<(int Code, string Output)> CaptureAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in ToolEnvironment)
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new EtlException(EtlErrors.LocalContainerToolMissing, $"'{file}' is not installed: {ex.Message}",
                "Install buildah (Debian: apt-get install buildah), docker or podman, or map the image to a host command.", file, ex);
        }
    }

    private static bool Answers(string file, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
