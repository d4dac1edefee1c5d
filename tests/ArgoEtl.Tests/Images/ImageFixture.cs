using System.Diagnostics;
using ArgoEtl.Testing;

namespace ArgoEtl.Tests.Images;

/// <summary>A plain registry, one behind htpasswd, buildah storage in a temp folder, and a FROM-scratch base image in the plain registry.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageFixture : IDisposable
{
    public ImageFixture()
    {
        ArgoEtl.Testing.Substrates.EnsureBuildah();
        Registry = ArgoEtl.Testing.Substrates.StartRegistry();
        SecureRegistry = ArgoEtl.Testing.Substrates.StartRegistryWithAuth();
        BuildahRoot = Path.Combine(Path.GetTempPath(), "argoetl-buildah-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(BuildahRoot);

        // The .NET builds' base image: nothing but a file, pushed to the local registry (no internet here).
        string context = Path.Combine(BuildahRoot, "base");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Containerfile"), "FROM scratch\nCOPY os-release /etc/os-release\n");
        File.WriteAllText(Path.Combine(context, "os-release"), "ID=argoetl-test\n");
        BaseImage = $"{Registry.Host}/base:1";
        Buildah("bud", "--isolation", "chroot", "-f", Path.Combine(context, "Containerfile"), "-t", BaseImage, context);
        Buildah("push", "--tls-verify=false", BaseImage);
    }

    public Registry Registry { get; }

    public Registry SecureRegistry { get; }

    public string BuildahRoot { get; }

    public string BaseImage { get; }

    public void Buildah(params string[] args)
    {
        // The module's own buildah settings, so what this fixture stores is where the builders look.
        var settings = new ArgoEtl.Core.Images.BuildahStorage(BuildahRoot);
        var start = new ProcessStartInfo("buildah") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in settings.Arguments.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in settings.Environment)
        {
            start.Environment[name] = value;
        }

        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"buildah {string.Join(' ', args)}: {err.Result}");
        }
    }

    public void Dispose()
    {
        Registry.Dispose();
        SecureRegistry.Dispose();
        try
        {
            Directory.Delete(BuildahRoot, recursive: true);
        }
        catch (IOException)
        {
            // vfs layers may be held briefly; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
