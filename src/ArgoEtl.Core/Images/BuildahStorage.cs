using System.Text;
using System.Text.RegularExpressions;
using ArgoEtl.Core.Platform;

namespace ArgoEtl.Core.Images;

/// <summary>
/// The storage and settings ArgoEtl runs buildah with: vfs storage in an ArgoEtl-owned folder, and a containers.conf of
/// ArgoEtl's own (through CONTAINERS_CONF) that fixes the network backend. Left to itself buildah picks the backend from
/// a 'defaultNetworkBackend' file in its storage or from which helper binaries are installed, so the same build
/// worked or failed ("could not find netavark") depending on what an earlier run or package left behind. Chroot
/// isolation needs no network plugin at all; pinning "cni" only stops buildah from looking for netavark.
/// </summary>
public sealed partial class BuildahStorage
{
    private const string ContainersConf = """
        # Written by ArgoEtl. Builds and step containers run with chroot isolation on the host network, so no network
        # plugin is used; the backend is pinned so buildah does not guess it from its storage or the installed helpers.
        [network]
        network_backend = "cni"

        [engine]
        cgroup_manager = "cgroupfs"
        events_logger = "file"

        """;

    private static readonly Dictionary<string, string> HelperPackages = new(StringComparer.Ordinal)
    {
        ["netavark"] = "netavark",
        ["aardvark-dns"] = "aardvark-dns",
        ["conmon"] = "conmon",
        ["crun"] = "crun",
        ["runc"] = "runc",
        ["slirp4netns"] = "slirp4netns",
        ["pasta"] = "passt",
        ["fuse-overlayfs"] = "fuse-overlayfs",
        ["newuidmap"] = "uidmap",
        ["newgidmap"] = "uidmap",
    };

    /// <param name="root">The folder holding storage, runroot and containers.conf; null means the user's ArgoEtl data folder.</param>
    public BuildahStorage(string? root = null)
    {
        Root = root ?? UserDirectories.DataDirectory("buildah");
        if (!Path.IsPathRooted(Root))
        {
            throw new EtlException(EtlErrors.BuildahStorageNotAbsolute, $"The buildah storage folder '{Root}' is not an absolute path.", target: Root);
        }
    }

    public string Root { get; }

    /// <summary>The global options that go before every buildah subcommand.</summary>
    public IReadOnlyList<string> Arguments => ["--storage-driver", "vfs", "--root", Path.Combine(Root, "root"), "--runroot", Path.Combine(Root, "runroot")];

    /// <summary>The environment every buildah process gets (CONTAINERS_CONF → ArgoEtl's containers.conf, written on first use).</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            string conf = Path.Combine(Root, "containers.conf");
            if (!File.Exists(conf) || File.ReadAllText(conf) != ContainersConf)
            {
                Directory.CreateDirectory(Root);
                string temp = conf + "." + System.Environment.ProcessId + ".tmp";
                File.WriteAllText(temp, ContainersConf, new UTF8Encoding(false));
                File.Move(temp, conf, overwrite: true);
            }

            return new Dictionary<string, string>(StringComparer.Ordinal) { ["CONTAINERS_CONF"] = conf };
        }
    }

    /// <summary>
    /// The Debian package to install when a container tool's output says a helper binary is missing
    /// (buildah: 'could not find "netavark" in one of [...]'), or null.
    /// </summary>
    public static (string Helper, string Package)? MissingHelper(string output)
    {
        var match = MissingHelperPattern().Match(output ?? string.Empty);
        if (!match.Success)
        {
            return null;
        }

        string helper = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
        return (helper, HelperPackages.TryGetValue(helper, out string? package) ? package : helper);
    }

    [GeneratedRegex("""(?:could not find|cannot find)\s+"([A-Za-z0-9_.-]+)"\s+in|"([A-Za-z0-9_.-]+)":\s+executable file not found""", RegexOptions.CultureInvariant)]
    private static partial Regex MissingHelperPattern();
}
