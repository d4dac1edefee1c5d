using ArgoEtl.Core.Images;

namespace ArgoEtl.Tests.Images;

/// <summary>
/// buildah must build the same way whatever an earlier run or package left behind: a storage folder whose
/// 'defaultNetworkBackend' says netavark (as the once-committed argoetl/buildah/root did) on a machine without netavark.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildahStorageTests
{
    [Fact]
    public async Task Builds_from_a_storage_whose_network_backend_file_names_a_missing_helper()
    {
        ArgoEtl.Testing.Substrates.EnsureBuildah();
        Assert.False(File.Exists("/usr/libexec/podman/netavark") || File.Exists("/usr/lib/podman/netavark"), "this test needs a machine without netavark");
        string root = Path.Combine(Path.GetTempPath(), "argoetl-buildah-poisoned-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "root"));
            await File.WriteAllTextAsync(Path.Combine(root, "root", "defaultNetworkBackend"), "netavark");
            string context = Path.Combine(root, "ctx");
            Directory.CreateDirectory(context);
            await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n");
            await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a");
            var request = new BuildRequest("app", context, null, new Dictionary<string, string>(), "localhost", "app", "t1", null, null);
            var lines = new List<string>();
            await new DockerfileBuilder(BuilderKind.Buildah, root).BuildToArchiveAsync(request, Path.Combine(root, "app.tar"), lines.Add, CancellationToken.None);
            Assert.True(new FileInfo(Path.Combine(root, "app.tar")).Length > 0, string.Join('\n', lines));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("Error: creating build container: could not find \"netavark\" in one of [/usr/local/libexec/podman /usr/lib/podman].", "netavark", "netavark")]
    [InlineData("Error: could not find \"aardvark-dns\" in one of [/usr/libexec/podman]", "aardvark-dns", "aardvark-dns")]
    [InlineData("error running container: exec: \"crun\": executable file not found in $PATH", "crun", "crun")]
    public void Names_the_Debian_package_of_a_missing_helper(string output, string helper, string package) =>
        Assert.Equal((helper, package), BuildahStorage.MissingHelper(output));

    [Fact]
    public void Finds_no_missing_helper_in_other_failures() =>
        Assert.Null(BuildahStorage.MissingHelper("STEP 2/2: COPY missing.txt /x\nError: checking on sources: no such file or directory"));
}
