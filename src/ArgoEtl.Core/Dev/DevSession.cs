using System.Runtime.InteropServices;
using System.Security.Cryptography;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Dev;

/// <summary>What a dev session reports as it goes: a phase (build, deploy, watch, cleanup), a line for people, and the object it concerns.</summary>
public sealed record DevEvent(string Phase, string Message, object? Item = null);

/// <summary>How a dev session builds, and whether it cleans up.</summary>
public sealed record DevOptions
{
    public required PublishOptions Publish { get; init; }

    /// <summary>How long file changes must settle before a rebuild.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Delete what the session applied when it ends (Skaffold dev's behaviour; off keeps it running).</summary>
    public bool Cleanup { get; init; } = true;
}

/// <summary>
/// The 'skaffold dev' loop for one profile: run the before-deploy hooks, build and push the artifacts, render the
/// manifests with those images, apply them, run the after-deploy hooks, start the profile's port-forwards; then watch the artifacts' contexts and the
/// manifests and do it again for what changed. When the session ends — Ctrl+C included — everything it applied is
/// deleted (only that: objects carry the session's project label) and the 'cleanup' hooks run, so nothing made for
/// development is left behind.
/// </summary>
public sealed class DevSession(KubeClient client, EtlProfile profile, DevOptions options, IProgress<DevEvent> progress)
{
    private readonly string _project = "dev-" + (profile.ConfigName ?? Path.GetFileName(profile.ProjectDirectory));
    private readonly Dictionary<string, EtlImage> _images = new(StringComparer.Ordinal);

    /// <summary>The label value every object of this session carries (argoetl.io/project).</summary>
    public string Project => _project;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        string run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var engine = new ApplyEngine(client);
        using var changes = new ChangeFeed(profile);
        var forwards = new List<PortForward>();
        try
        {
            await RunHooksAsync("before", cancellationToken).ConfigureAwait(false);
            await CycleAsync(profile.Artifacts, engine, run, cancellationToken).ConfigureAwait(false);
            await RunHooksAsync("after", cancellationToken).ConfigureAwait(false);
            foreach (var f in profile.PortForwards)
            {
                var forward = PortForward.Start(client, f.Namespace ?? client.DefaultNamespace, f.ResourceType, f.ResourceName, f.Port, f.LocalPort ?? f.Port, f.Address ?? "127.0.0.1");
                forwards.Add(forward);
                progress.Report(new DevEvent("forward", $"Forwarding {forward}"));
            }

            progress.Report(new DevEvent("watch", $"Watching {profile.ProjectDirectory} for changes; Ctrl+C ends the session{(options.Cleanup ? " and deletes what it deployed" : string.Empty)}."));
            while (true)
            {
                var changed = await changes.NextAsync(options.Debounce, cancellationToken).ConfigureAwait(false);
                var rebuild = profile.Artifacts.Where(a => changed.Any(f => IsUnder(f, Path.GetFullPath(Path.Combine(profile.ProjectDirectory, a.Context))))).ToList();
                progress.Report(new DevEvent("watch", $"{changed.Count} file(s) changed: {string.Join(", ", changed.Take(3).Select(f => Path.GetRelativePath(profile.ProjectDirectory, f)))}{(changed.Count > 3 ? ", ..." : string.Empty)}"));
                try
                {
                    await CycleAsync(rebuild, engine, run, cancellationToken).ConfigureAwait(false);
                }
                catch (EtlException ex)
                {
                    // A broken edit must not end the session: report it and wait for the fix.
                    progress.Report(new DevEvent("error", ex.Message, ex));
                }
            }
        }
        finally
        {
            foreach (var forward in forwards)
            {
                await forward.DisposeAsync().ConfigureAwait(false);
            }

            await CleanUpAsync(engine).ConfigureAwait(false);
        }
    }

    private async Task CycleAsync(IReadOnlyList<EtlArtifact> artifacts, ApplyEngine engine, string run, CancellationToken cancellationToken)
    {
        using var registry = new RegistryClient();
        var publisher = new ImagePublisher(registry, options.Publish);
        foreach (var artifact in artifacts)
        {
            progress.Report(new DevEvent("build", $"Building {artifact.ImageName}"));
            var image = await publisher.PublishAsync(artifact, profile.ProjectDirectory, line => progress.Report(new DevEvent("build", line)), cancellationToken).ConfigureAwait(false);
            _images[artifact.ImageName] = image;
            progress.Report(new DevEvent("build", $"{image.Artifact}: {image.FullyQualifiedName}{(image.Cached ? " (cached)" : string.Empty)}", image));
        }

        var images = _images.ToDictionary(i => i.Key, i => i.Value.FullyQualifiedName, StringComparer.Ordinal);
        var manifests = new ManifestRenderer(images, new ProjectContext("dev"), w => progress.Report(new DevEvent("render", w.ToString()))).Render(profile, cancellationToken);
        // The component label must be a valid label value; where each object came from is in the progress lines.
        var objects = manifests.Select(m => new KubeObject(YamlFile.ToJson(YamlFile.Parse(m.Yaml, m.Source).Single().Root)!.AsObject(), "dev")).ToList();
        foreach (var applied in await engine.ApplyAsync(objects, _project, run, null, cancellationToken).ConfigureAwait(false))
        {
            progress.Report(new DevEvent("deploy", applied.ToString(), applied));
        }
    }

    // Runs even when the session was canceled: cleanup must not be skipped by the Ctrl+C that ends it.
    private async Task CleanUpAsync(ApplyEngine engine)
    {
        if (options.Cleanup)
        {
            try
            {
                var owned = await engine.ListOwnedAsync(_project, CancellationToken.None).ConfigureAwait(false);
                foreach (var deleted in await engine.DeleteAsync(owned, null, CancellationToken.None).ConfigureAwait(false))
                {
                    progress.Report(new DevEvent("cleanup", deleted.ToString(), deleted));
                }
            }
            catch (EtlException ex)
            {
                progress.Report(new DevEvent("error", $"Cleanup could not delete everything: {ex.Message}", ex));
            }
        }

        await RunHooksAsync("cleanup", CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RunHooksAsync(string phase, CancellationToken cancellationToken)
    {
        foreach (var hook in profile.Hooks.Where(h => h.Phase == phase))
        {
            if (hook.Container is not null)
            {
                progress.Report(new DevEvent("hook", $"{phase} hook in container {hook.Container} is not run by ArgoEtl; use a host hook."));
                continue;
            }

            if (hook.Os.Count > 0 && !hook.Os.Any(CurrentOs))
            {
                continue;
            }

            progress.Report(new DevEvent("hook", $"{phase}: {string.Join(' ', hook.Command)}"));
            try
            {
                await ToolProcess.RunAsync(hook.Command[0], hook.Command.Skip(1), null, Path.Combine(profile.ProjectDirectory, hook.Dir ?? "."),
                    line => progress.Report(new DevEvent("hook", line)), $"{phase} hook", profile.Name, cancellationToken).ConfigureAwait(false);
            }
            catch (EtlException ex) when (phase == "cleanup")
            {
                progress.Report(new DevEvent("error", ex.Message, ex)); // one failing cleanup hook must not stop the others
            }
        }
    }

    private static bool CurrentOs(string os) => os.ToLowerInvariant() switch
    {
        "linux" => RuntimeInformation.IsOSPlatform(OSPlatform.Linux),
        "darwin" => RuntimeInformation.IsOSPlatform(OSPlatform.OSX),
        "windows" => RuntimeInformation.IsOSPlatform(OSPlatform.Windows),
        _ => false,
    };

    private static bool IsUnder(string file, string directory) =>
        file.StartsWith(directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || file == directory;
}
