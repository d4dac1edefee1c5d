using System.Diagnostics;
using System.Globalization;

namespace ArgoEtl.Testing;

/// <summary>
/// Installs (when missing) and starts the real components tests use. Each Start* gets a fresh temp folder and free
/// loopback ports, so test runs never share state. See shared/design/SUBSTRATES.md for the settings' reasons.
/// </summary>
public static class Substrates
{
    private static readonly object InstallLock = new();
    private static bool _aptUpdated;

    /// <summary>The repository root (the folder holding ArgoEtl.sln), found from this assembly or ARGOETL_REPO_ROOT.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The project's shared reference data (upstream Argo manifests and schemas, AWS's SigV4 vectors): ARGOETL_SHARED_DIR,
    /// else the nearest 'shared' folder beside the checkout or one of its parents (../shared in the workspace).
    /// </summary>
    public static string SharedDirectory { get; } = FindShared();

    private static string FindShared()
    {
        if (Environment.GetEnvironmentVariable("ARGOETL_SHARED_DIR") is { Length: > 0 } given)
        {
            return Path.GetFullPath(given);
        }

        for (var dir = new DirectoryInfo(RepoRoot).Parent; dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "argo")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"The shared reference data (shared/argo, shared/aws) was not found beside {RepoRoot} or above it; set ARGOETL_SHARED_DIR.");
    }

    public static string S3rverDirectory => Path.Combine(RepoRoot, "tests", "s3rver");

    /// <summary>The independent Node.js gRPC client (grpc-js + proto-loader) the FTP event server tests use.</summary>
    public static string GrpcNodeDirectory => Path.Combine(RepoRoot, "tests", "grpc-node");

    /// <summary>
    /// Every external program the tests start (directly, or through the module), with where it comes from. The
    /// installer installs each Debian one that is missing, and tests/Pester/Installer.Tests.ps1 fails when a test starts a
    /// program that is neither here nor on the short list of what every CI machine has, so a green run on a machine that
    /// kept an earlier session's installs cannot hide a missing install step.
    /// </summary>
    public static IReadOnlyList<Requirement> Requirements { get; } =
    [
        new("vsftpd", "/usr/sbin/vsftpd", "vsftpd"),
        new("docker-registry", "/usr/bin/docker-registry", "docker-registry"),
        new("htpasswd", "/usr/bin/htpasswd", "apache2-utils"),
        new("buildah", "/usr/bin/buildah", "buildah"),
        // Container steps of the local target run a FROM-scratch image holding a static busybox.
        new("busybox", "/bin/busybox", "busybox-static"),
        // Debian's AWS CLI v2 (a pip-installed v1 elsewhere on PATH does not count).
        new("aws", "/usr/bin/aws", "awscli"),
        // Any kubectl on PATH will do (the machine image ships one); Debian's otherwise.
        new("kubectl", null, "kubernetes-client"),
        // The local-target tests look for processes a stopped run must not leave behind.
        new("pgrep", null, "procps"),
    ];

    /// <summary>
    /// Programs the module looks for and reports cleanly when absent, which the installer deliberately does NOT install,
    /// because no test needs them and a new machine has none of them: docker and podman (probed; images and container
    /// steps use buildah, listed above), minikube (probed for `minikube image load`; tests push to the harness registry),
    /// helm (found on PATH for Helm releases and the EKS controller chart; the render tests put a stand-in helm on the
    /// renderer's own search path, and the EKS tests pass -ManifestSource, which takes the manifest path instead).
    /// </summary>
    public static IReadOnlyList<(string Program, string Why)> ProbedNotInstalled { get; } =
    [
        ("docker", "probed with `docker info`; builds fall back to buildah"),
        ("podman", "probed with `podman --version`; builds fall back to buildah"),
        ("minikube", "probed for `minikube image load`; tests push to the harness registry"),
        ("helm", "looked up on PATH; tests use a stand-in on HelmSearchPath or -ManifestSource"),
    ];

    /// <summary>Installs everything the tests need that is missing: Debian packages when root, s3rver from npm.</summary>
    public static void EnsureInstalled()
    {
        EnsureAptPackages([.. Requirements.Select(r => (r.Binary ?? r.Program, r.Package))]);
        EnsureS3rver();
        EnsureGrpcNode();
    }

    /// <summary>
    /// The Debian AWS CLI v2 (package awscli), installed when missing. Its full path, because another `aws` (a pip v1)
    /// may come first on PATH.
    /// </summary>
    public static string AwsCli()
    {
        EnsureAptPackages(("/usr/bin/aws", "awscli"));
        return "/usr/bin/aws";
    }

    public static S3rver StartS3rver()
    {
        EnsureS3rver();
        return new S3rver();
    }

    /// <summary>s3rver whose object events are POSTed to <paramref name="notify"/> (the local AWS endpoint's /_argoetl/s3/events).</summary>
    public static S3rver StartS3rver(Uri notify)
    {
        EnsureS3rver();
        return new S3rver(notify);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static Vsftpd StartVsftpd()
    {
        EnsureAptPackages(("/usr/sbin/vsftpd", "vsftpd"));
        return new Vsftpd();
    }

    /// <summary>
    /// vsftpd that refuses anonymous logins and accepts <paramref name="user"/> with a fresh random password. By default
    /// the account is this server's own: test classes run in parallel, and two servers sharing one system account
    /// would reset each other's password (a login refused at random).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static Vsftpd StartVsftpdWithUser(string? user = null)
    {
        user ??= "aeftp" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        EnsureAptPackages(("/usr/sbin/vsftpd", "vsftpd"));
        return new Vsftpd(user, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
    }

    /// <summary>As <see cref="StartVsftpdWithUser(string?)"/>, with <paramref name="passivePorts"/> passive ports, for clients that list and download at once.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static Vsftpd StartVsftpdWithUser(int passivePorts)
    {
        string user = "aeftp" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
        EnsureAptPackages(("/usr/sbin/vsftpd", "vsftpd"));
        return new Vsftpd(user, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)), passivePorts);
    }

    /// <summary>The test Kubernetes API server, with a kubeconfig for it.</summary>
    public static KubeApi StartKubeApi() => new();

    /// <summary>The local AWS endpoint (SNS, IAM, STS, S3 notification settings) with SigV4 checks.</summary>
    public static LocalAws StartLocalAws() => new();

    public static Registry StartRegistry()
    {
        EnsureAptPackages(("/usr/bin/docker-registry", "docker-registry"));
        return new Registry();
    }

    /// <summary>The registry behind basic auth (htpasswd) for <paramref name="user"/> with a fresh random password.</summary>
    public static Registry StartRegistryWithAuth(string user = "AWS")
    {
        EnsureAptPackages(("/usr/bin/docker-registry", "docker-registry"), ("/usr/bin/htpasswd", "apache2-utils"));
        return new Registry(user, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)));
    }

    /// <summary>buildah (vfs storage, chroot isolation) for building Dockerfile contexts without a daemon.</summary>
    public static void EnsureBuildah() => EnsureAptPackages(("/usr/bin/buildah", "buildah"));

    internal static void EnsureS3rver()
    {
        lock (InstallLock)
        {
            if (File.Exists(Path.Combine(S3rverDirectory, "node_modules", "s3rver", "package.json")))
            {
                return;
            }

            Run("npm", $"ci --no-audit --no-fund --prefix \"{S3rverDirectory}\"", "s3rver (npm ci in tests/s3rver)");
        }
    }

    /// <summary>Installs tests/grpc-node's pinned npm packages (npm ci) when missing.</summary>
    public static void EnsureGrpcNode()
    {
        lock (InstallLock)
        {
            if (File.Exists(Path.Combine(GrpcNodeDirectory, "node_modules", "@grpc", "proto-loader", "package.json")))
            {
                return;
            }

            Run("npm", $"ci --no-audit --no-fund --prefix \"{GrpcNodeDirectory}\"", "grpc-js client (npm ci in tests/grpc-node)");
        }
    }

    internal static void EnsureAptPackages(params (string Binary, string Package)[] needs)
    {
        lock (InstallLock)
        {
            var missing = needs.Where(n => !(Path.IsPathRooted(n.Binary) ? File.Exists(n.Binary) : OnPath(n.Binary))).Select(n => n.Package).Distinct().ToList();
            if (missing.Count == 0)
            {
                return;
            }

            if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"Tests need {string.Join(", ", missing)}; install with: sudo apt-get install -y {string.Join(' ', missing)}");
            }

            if (!_aptUpdated)
            {
                Run("apt-get", "-o DPkg::Lock::Timeout=300 update -qq", "apt-get update");
                _aptUpdated = true;
            }

            // Another installer (a parallel test run, unattended upgrades) may hold the dpkg lock for a while: wait for it.
            Run("apt-get", $"-o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends {string.Join(' ', missing)}", "apt-get install " + string.Join(' ', missing),
                ("DEBIAN_FRONTEND", "noninteractive"));
        }
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    private static void Run(string file, string arguments, string what, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{what}: could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{what} failed with exit code {process.ExitCode}:\n{stdout.Result}\n{stderr}"));
        }
    }

    private static string FindRepoRoot()
    {
        if (Environment.GetEnvironmentVariable("ARGOETL_REPO_ROOT") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        // From xUnit the app base is under the repo; from Pester it is pwsh's folder, so also start from this assembly.
        foreach (string start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(Substrates).Assembly.Location)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ArgoEtl.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (ArgoEtl.sln); set ARGOETL_REPO_ROOT.");
    }
}
