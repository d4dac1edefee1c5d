using System.Net.Http.Headers;
using ArgoEtl.Core.Aws;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Projects;
using ArgoEtl.TestServers.Aws;
using ArgoEtl.Tests.Aws;

namespace ArgoEtl.Tests.Images;

/// <summary>Real builds and pushes: buildah for a FROM-scratch Dockerfile, the .NET SDK for a project, the distribution registry with and without auth, and ECR's login flow.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImagePublishTests(ImageFixture images) : IClassFixture<ImageFixture>
{
    private static readonly string[] GitIdentity = ["-c", "user.name=t", "-c", "user.email=t@example.com"];

    private static string NewDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "argoetl-image-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string DockerfileProject()
    {
        string dir = NewDir();
        Directory.CreateDirectory(Path.Combine(dir, "ctx"));
        File.WriteAllText(Path.Combine(dir, "ctx", "Dockerfile"), "FROM scratch\nARG GREETING\nCOPY hello.txt /hello.txt\n");
        File.WriteAllText(Path.Combine(dir, "ctx", "hello.txt"), "hello\n");
        File.WriteAllText(Path.Combine(dir, "ctx", "notes.md"), "ignored\n");
        File.WriteAllText(Path.Combine(dir, "ctx", ".dockerignore"), "*.md\n");
        return dir;
    }

    private static string DotNetProject()
    {
        string dir = NewDir();
        Directory.CreateDirectory(Path.Combine(dir, "app"));
        File.WriteAllText(Path.Combine(dir, "app", "app.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "app", "Program.cs"), "System.Console.WriteLine(\"etl step\");\n");
        return dir;
    }

    private static EtlArtifact Docker(string name) => new(name, "ctx", "docker", "Dockerfile", new Dictionary<string, string> { ["GREETING"] = "hi" });

    private ImagePublisher Publisher(string registry, RegistryCredentials? credentials = null, RegistryClient? client = null) =>
        new(client ?? new RegistryClient(), new PublishOptions { Registry = registry, Credentials = credentials, BaseImage = images.BaseImage, BuildahRoot = images.BuildahRoot });

    private static async Task<(string? Digest, string? Type)> ManifestAsync(string registry, string repository, string reference, RegistryCredentials? login = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{registry}/v2/{repository}/manifests/{reference}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        if (login is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", login.Basic);
        }

        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode
            ? (response.Headers.GetValues("Docker-Content-Digest").First(), response.Content.Headers.ContentType?.MediaType)
            : (null, null);
    }

    [Fact]
    public async Task A_Dockerfile_context_is_built_with_buildah_pushed_and_found_cached_the_second_time()
    {
        string project = DockerfileProject();
        var log = new List<string>();

        var first = await Publisher(images.Registry.Host).PublishAsync(Docker("hello"), project, log.Add, default);

        Assert.Equal(("Buildah", true, false), (first.Builder, first.Pushed, first.Cached));
        Assert.Equal(16, first.Tag.Length);
        var (digest, type) = await ManifestAsync(images.Registry.Host, "hello", first.Tag);
        Assert.Equal(digest, first.Digest);
        Assert.NotNull(type);
        Assert.Equal($"{images.Registry.Host}/hello:{first.Tag}@{digest}", first.FullyQualifiedName);

        // Same inputs (an ignored file changed): same tag, found in the registry, nothing built.
        File.WriteAllText(Path.Combine(project, "ctx", "notes.md"), "still ignored\n");
        log.Clear();
        var second = await Publisher(images.Registry.Host).PublishAsync(Docker("hello"), project, log.Add, default);
        Assert.Equal((first.Tag, first.Digest, true, false), (second.Tag, second.Digest, second.Cached, second.Pushed));
        Assert.DoesNotContain(log, l => l.Contains("STEP", StringComparison.Ordinal) || l.Contains("Writing manifest", StringComparison.Ordinal));

        // A real input changed: a new tag, built again.
        File.WriteAllText(Path.Combine(project, "ctx", "hello.txt"), "hello again\n");
        var third = await Publisher(images.Registry.Host).PublishAsync(Docker("hello"), project, _ => { }, default);
        Assert.NotEqual(first.Tag, third.Tag);
        Assert.True(third.Pushed);
    }

    [Fact]
    public async Task A_dotnet_project_is_built_with_the_SDK_container_builder_on_a_base_from_the_local_registry()
    {
        string project = DotNetProject();
        var artifact = new EtlArtifact("etl-step", "app", "custom", null, new Dictionary<string, string>());

        var first = await Publisher($"{images.Registry.Host}/team").PublishAsync(artifact, project, _ => { }, default);

        Assert.Equal(("DotNet", true), (first.Builder, first.Pushed));
        Assert.Equal($"{images.Registry.Host}/team/etl-step", first.Repository);
        Assert.Equal(first.Digest, (await ManifestAsync(images.Registry.Host, "team/etl-step", first.Tag)).Digest);

        var second = await Publisher($"{images.Registry.Host}/team").PublishAsync(artifact, project, _ => { }, default);
        Assert.True(second.Cached);
        Assert.Equal(first.FullyQualifiedName, second.FullyQualifiedName);
    }

    [Fact]
    public async Task A_registry_that_needs_a_login_refuses_without_one_and_accepts_with_it()
    {
        string project = DockerfileProject();
        var registry = images.SecureRegistry;

        var denied = await Assert.ThrowsAsync<EtlException>(() => Publisher(registry.Host).PublishAsync(Docker("locked"), project, _ => { }, default));
        Assert.Equal("RegistryAccessDenied", denied.Code);
        Assert.Contains(registry.Host, denied.Message, StringComparison.Ordinal);

        var login = new RegistryCredentials(registry.User!, registry.Password!);
        var log = new List<string>();
        var pushed = await Publisher(registry.Host, login).PublishAsync(Docker("locked"), project, log.Add, default);
        Assert.Equal(pushed.Digest, (await ManifestAsync(registry.Host, "locked", pushed.Tag, login)).Digest);
        Assert.DoesNotContain(log, l => l.Contains(registry.Password!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ECR_login_and_repository_creation_lead_to_a_real_push()
    {
        await using var aws = await LocalAws.StartAsync();
        var registry = images.SecureRegistry;
        aws.State.ConfigureEcr(new Uri(registry.Url), registry.User!, registry.Password!);
        using var session = aws.Session();

        var login = await session.Ecr.LoginAsync(default);
        Assert.Equal(registry.Host, login.Registry);
        Assert.Null(await session.Ecr.RepositoryUriAsync("etl-ecr", default));
        string uri = await session.Ecr.CreateRepositoryAsync("etl-ecr", scanOnPush: true, immutableTags: true, default);
        Assert.EndsWith(".dkr.ecr.ap-northeast-2.amazonaws.com/etl-ecr", uri, StringComparison.Ordinal);
        Assert.Equal((true, "IMMUTABLE"), aws.State.Repositories()["etl-ecr"]);

        var image = await Publisher(login.Registry, login.Credentials).PublishAsync(Docker("etl-ecr"), DockerfileProject(), _ => { }, default);
        Assert.True(image.Pushed);
        Assert.Equal(image.Digest, (await ManifestAsync(registry.Host, "etl-ecr", image.Tag, login.Credentials)).Digest);
        Assert.Equal(["CreateRepository", "DescribeRepositories", "GetAuthorizationToken"], aws.State.Calls.Where(c => c.Service == "ecr").Select(c => c.Action).Distinct().Order());
    }

    [Fact]
    public async Task Missing_contexts_and_Dockerfiles_name_the_artifact()
    {
        string project = DockerfileProject();
        var noContext = await Assert.ThrowsAsync<EtlException>(() => Publisher(images.Registry.Host).PublishAsync(Docker("x") with { Context = "nope" }, project, _ => { }, default));
        Assert.Equal("BuildContextNotFound", noContext.Code);
        Assert.Contains("'x'", noContext.Message, StringComparison.Ordinal);

        File.Delete(Path.Combine(project, "ctx", "Dockerfile"));
        var publisher = new ImagePublisher(new RegistryClient(), new PublishOptions { Registry = images.Registry.Host, Builder = BuilderKind.Buildah, BuildahRoot = images.BuildahRoot });
        var noDockerfile = await Assert.ThrowsAsync<EtlException>(() => publisher.PublishAsync(Docker("y"), project, _ => { }, default));
        Assert.Equal("DockerfileNotFound", noDockerfile.Code);
    }

    [Fact]
    public async Task The_git_commit_tag_policy_tags_with_the_commit_and_marks_uncommitted_changes()
    {
        string project = DockerfileProject();
        void Git(params string[] args)
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in GitIdentity.Concat(args))
            {
                start.ArgumentList.Add(a);
            }

            using var p = System.Diagnostics.Process.Start(start)!;
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        }

        Git("init", "-q");
        Git("add", "-A");
        Git("commit", "-q", "-m", "one");
        var publisher = new ImagePublisher(new RegistryClient(), new PublishOptions { Registry = images.Registry.Host, TagPolicy = TagPolicy.GitCommit, BuildahRoot = images.BuildahRoot });

        var clean = await publisher.PublishAsync(Docker("gitted"), project, _ => { }, default);
        Assert.Matches("^[0-9a-f]{12}$", clean.Tag);

        File.AppendAllText(Path.Combine(project, "ctx", "hello.txt"), "more\n");
        var dirty = await publisher.PublishAsync(Docker("gitted"), project, _ => { }, default);
        Assert.Equal(clean.Tag + "-dirty", dirty.Tag);
    }

    [Fact]
    public async Task Without_a_registry_images_are_built_to_an_archive_and_loaded_into_minikube()
    {
        // minikube cannot run here: a stand-in on PATH keeps what 'image load' gets and lists the tags it found in it.
        string bin = NewDir();
        string state = Path.Combine(bin, "images");
        File.WriteAllText(Path.Combine(bin, "minikube"), $$"""
            #!/bin/sh
            shift 2
            case "$1 $2" in
              "image ls") cat "{{state}}" 2>/dev/null || true ;;
              "image load") cp "$3" "{{state}}.tar" && tar -xOf "$3" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p' >> "{{state}}" ;;
              *) exit 2 ;;
            esac
            """);
        File.SetUnixFileMode(Path.Combine(bin, "minikube"), (UnixFileMode)Convert.ToInt32("755", 8));
        string? path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", bin + Path.PathSeparator + path);
        try
        {
            var publisher = new ImagePublisher(new RegistryClient(), new PublishOptions { LoadInto = new Minikube("minikube"), BuildahRoot = images.BuildahRoot });
            string project = DockerfileProject();

            var loaded = await publisher.PublishAsync(Docker("Local-App"), project, _ => { }, default);

            Assert.Equal((true, false, null), (loaded.Loaded, loaded.Pushed, loaded.Digest));
            Assert.Equal($"local-app:{loaded.Tag}", loaded.FullyQualifiedName);
            // buildah writes the name in its normalized form, the one Kubernetes resolves 'local-app:tag' to.
            Assert.Equal(["docker.io/library/" + loaded.FullyQualifiedName], File.ReadAllLines(state));
            Assert.False(File.Exists(Directory.GetFiles(Path.GetTempPath(), "argoetl-*.tar").FirstOrDefault(f => File.GetLastWriteTimeUtc(f) > DateTime.UtcNow.AddMinutes(-1)) ?? "none"));

            var again = await publisher.PublishAsync(Docker("Local-App"), project, _ => { }, default);
            Assert.True(again.Cached);
            Assert.Single(File.ReadAllLines(state));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public void Build_inputs_follow_dockerignore_with_exceptions_and_leave_out_dotnet_outputs()
    {
        string dir = NewDir();
        foreach (var file in new[] { "a.txt", "logs/x.log", "logs/keep.log", "bin/Release/app.dll", "src/obj/x", "src/main.cs" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, file))!);
            File.WriteAllText(Path.Combine(dir, file), file);
        }

        File.WriteAllText(Path.Combine(dir, ".dockerignore"), "# comment\nlogs\n!logs/keep.log\n");
        Assert.Equal([".dockerignore", "a.txt", "bin/Release/app.dll", "logs/keep.log", "src/main.cs", "src/obj/x"], BuildInputs.Files(dir, dotNet: false));
        Assert.Equal([".dockerignore", "a.txt", "logs/keep.log", "src/main.cs"], BuildInputs.Files(dir, dotNet: true));
    }
}
