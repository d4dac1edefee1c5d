using ArgoEtl.Core.Targets.Local;
using ArgoEtl.Core.Targets.Local.Events;
using ArgoEtl.Core.Targets.Local.Steps;
using ArgoEtl.Core.Targets.Local.Workloads;
using ArgoEtl.Etl;
using static ArgoEtl.Tests.Local.Events.EventTestKit;

namespace ArgoEtl.Tests.Local.Workloads;

/// <summary>
/// Deployments on the local target: what is refused (with file:line) before anything starts, how Services and the
/// generic EventSource's config are mapped, and a real host process with its env, Secret files and process tree.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class WorkloadTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("argoetl-workloads-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Deployment(string container, string pod = "", string spec = "") => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: server
        spec:
          {{spec}}
          selector:
            matchLabels: {app: server}
          template:
            metadata:
              labels: {app: server}
            spec:
              {{pod}}
              containers:
              - name: server
                image: tool
        {{container}}
        """;

    [Fact]
    public void The_examples_vsftpd_Deployment_is_refused_at_its_image_line_because_only_dotnet_projects_run_as_host_processes()
    {
        string file = Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", "ftp", "k8s", "vsftpd.yaml");
        var workloads = WorkloadParser.Parse(LocalManifests.Load(file));
        var error = Assert.Throws<EtlException>(() => WorkloadParser.CheckImages(workloads, new Dictionary<string, HostImage>()));
        int line = File.ReadAllLines(file).ToList().FindIndex(l => l.Contains("image: argoetl-vsftpd", StringComparison.Ordinal)) + 1;
        Assert.Equal("LocalUnsupportedField", error.Code);
        Assert.Equal($"{file}:{line}", error.Target?.ToString());
        Assert.Contains("'host' profile", error.Suggestion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_examples_default_profile_is_refused_at_the_vsftpd_image_line_before_anything_is_built()
    {
        string example = Path.Combine(ArgoEtl.Testing.Substrates.RepoRoot, "examples", "ftp");
        var profile = ArgoEtl.Core.Projects.SkaffoldProject.Load(example, new ArgoEtl.Core.Projects.ProjectContext("dev", "none", new Dictionary<string, string>())).Profiles[0];
        var error = await Assert.ThrowsAsync<EtlException>(() => ArgoEtl.Core.Targets.Local.Pipeline.LocalProject.PrepareAsync(profile, _state, new Progress<ArgoEtl.Core.Dev.DevEvent>(), CancellationToken.None));
        Assert.Equal("LocalUnsupportedField", error.Code);
        Assert.EndsWith("vsftpd.yaml:" + (File.ReadAllLines(Path.Combine(example, "k8s", "vsftpd.yaml")).ToList().FindIndex(l => l.Contains("image: argoetl-vsftpd", StringComparison.Ordinal)) + 1), error.Target?.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_state, "build")));
    }

    [Theory]
    [InlineData("        volumeMounts:\n        - {name: data, mountPath: /data, subPath: x}", "volumes:\n      - {name: data, emptyDir: {}}", "spec.template.spec.containers[0].volumeMounts[0].subPath")]
    [InlineData("        command: [/bin/server]", "", "spec.template.spec.containers[0].command")]
    [InlineData("", "initContainers:\n      - {name: init, image: tool}", "spec.template.spec.initContainers")]
    [InlineData("        env:\n        - name: POD\n          valueFrom: {fieldRef: {fieldPath: metadata.name}}", "", "spec.template.spec.containers[0].env[0].valueFrom.fieldRef")]
    [InlineData("        ports:\n        - {containerPort: 80}\n        - {containerPort: 81}", "", "spec.template.spec.containers[0].ports[1]")]
    public void A_field_the_local_target_cannot_honour_stops_the_run_naming_it_and_its_line(string container, string pod, string field)
    {
        var document = Manifest(Deployment(container, pod), "k8s/server.yaml");
        var error = Assert.Throws<EtlException>(() => WorkloadParser.Parse([document]));
        Assert.Equal("LocalUnsupportedField", error.Code);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
        Assert.Matches(@"^k8s/server\.yaml:\d+$", error.Target?.ToString());
    }

    [Fact]
    public void Replicas_other_than_one_are_refused_and_zero_runs_nothing()
    {
        var two = Assert.Throws<EtlException>(() => WorkloadParser.Parse([Manifest(Deployment(string.Empty, spec: "replicas: 2"), "k8s/server.yaml")]));
        Assert.Contains("'spec.replicas'", two.Message, StringComparison.Ordinal);
        Assert.Empty(WorkloadParser.Parse([Manifest(Deployment(string.Empty, spec: "replicas: 0"), "k8s/server.yaml")]));
    }

    [Fact]
    public void Other_workload_kinds_are_refused_not_ignored()
    {
        var error = Assert.Throws<EtlException>(() => WorkloadParser.Parse([Manifest("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec: {}\n", "k8s/db.yaml")]));
        Assert.Equal(("LocalUnsupportedField", "k8s/db.yaml:2"), (error.Code, error.Target?.ToString()));
    }

    [Fact]
    public void A_service_without_selector_and_its_endpoints_or_an_external_name_map_in_cluster_addresses_to_the_server_outside()
    {
        var resources = new LocalResources();
        ExternalServices.Map(
        [
            Manifest("kind: Service\nmetadata: {name: vsftpd}\nspec:\n  ports: [{name: ftp, port: 21}]\n", "a.yaml"),
            Manifest("kind: Endpoints\nmetadata: {name: vsftpd}\nsubsets:\n- addresses: [{ip: 127.0.0.1}]\n  ports: [{name: ftp, port: 2121}]\n", "a.yaml"),
            Manifest("kind: Service\nmetadata: {name: db}\nspec:\n  type: ExternalName\n  externalName: db.internal\n  ports: [{port: 5432}]\n", "b.yaml"),
            Manifest("kind: Service\nmetadata: {name: orphan}\nspec:\n  ports: [{port: 80}]\n", "c.yaml"),
        ], resources);
        Assert.Equal("ftp://127.0.0.1:2121/upload/a.csv", resources.RewriteAddresses("ftp://vsftpd:21/upload/a.csv"));
        Assert.Equal("ftp://127.0.0.1:2121/x", resources.RewriteAddresses("ftp://vsftpd.etl.svc.cluster.local:21/x"));
        Assert.Equal("postgres://db.internal:5432/x", resources.RewriteAddresses("postgres://db:5432/x"));
        Assert.Equal("http://orphan:80/", resources.RewriteAddresses("http://orphan:80/"));
    }

    [Fact]
    public void A_generic_config_gets_the_servers_host_and_port_and_its_mount_paths_and_an_unmapped_one_is_sent_as_written()
    {
        var resources = new LocalResources();
        resources.MapService("vsftpd", 21, new Uri("tcp://127.0.0.1:2121"));
        string config = "host: vsftpd\nport: 21\ndir: /upload\ninclude: [\"*.csv\"]\ncheckpoint: /var/lib/ftp-events/csv.json\n";
        var mounts = new[] { new StepMount("/state/volumes/claim", "/var/lib/ftp-events") };
        var rewritten = System.Text.Json.Nodes.JsonNode.Parse(GenericConfigAddresses.Rewrite(config, resources.RewriteAddresses, mounts))!;
        Assert.Equal(("127.0.0.1", 2121, "/upload", "/state/volumes/claim/csv.json"),
            ((string?)rewritten["host"], (int)rewritten["port"]!, (string?)rewritten["dir"], (string?)rewritten["checkpoint"]));
        Assert.Equal("*.csv", (string?)rewritten["include"]![0]);

        string elsewhere = "host: ftp.example.org\nport: 21\ndir: /in\n";
        Assert.Same(elsewhere, GenericConfigAddresses.Rewrite(elsewhere, resources.RewriteAddresses, mounts));
    }

    [Fact]
    public async Task A_deployment_runs_as_a_host_process_with_its_env_and_secret_files_and_stops_with_its_whole_tree()
    {
        // The Secret the manifests reference but do not define, given as files (a mounted Secret's shape).
        string secretDir = Path.Combine(_state, "secrets", "creds");
        Directory.CreateDirectory(secretDir);
        string password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        File.WriteAllText(Path.Combine(secretDir, "PASSWORD"), password);
        var resources = new LocalResources();
        resources.AddSecretFolders(Path.Combine(_state, "secrets"));
        resources.MapService("vsftpd", 21, new Uri("tcp://127.0.0.1:2121"));

        var document = Manifest(Deployment("""
                    args:
                    - 'echo "server=$SERVER greeting=$GREETING"; wc -c < /etc/creds/PASSWORD; test "$(cat /etc/creds/PASSWORD)" = "$PASSWORD" && echo same; sleep 300 & echo "child=$!"; wait'
                    env:
                    - {name: SERVER, value: "ftp://vsftpd:21/in"}
                    - {name: GREETING, value: hello}
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: creds, key: PASSWORD}}
                    volumeMounts:
                    - {name: creds, mountPath: /etc/creds, readOnly: true}
            """, "volumes:\n      - name: creds\n        secret: {secretName: creds}", "replicas: 1"), "k8s/server.yaml");
        var images = new Dictionary<string, HostImage> { ["tool"] = new(["/bin/sh", "-c"]) };
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var set = await LocalWorkloadSet.StartAsync(WorkloadParser.Parse([document]), [document], resources, images, _state, (_, line) => lines.Enqueue(line), null, CancellationToken.None);
        int child;
        try
        {
            var workload = Assert.Single(set.Workloads);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!lines.Any(l => l.StartsWith("child=", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Contains("server=ftp://127.0.0.1:2121/in greeting=hello", lines);
            Assert.Contains(password.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), lines);
            Assert.Contains("same", lines);
            child = int.Parse(lines.First(l => l.StartsWith("child=", StringComparison.Ordinal))[6..], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_state, "workloads", "server", "secret-volumes", "creds", "PASSWORD")));
        }
        finally
        {
            await set.DisposeAsync();
        }

        // The shell got SIGTERM; its child 'sleep', which would have outlived it, was killed with the tree.
        Assert.True(ProcessGone(child), $"process {child} is still running");
        Assert.False(Directory.Exists(Path.Combine(_state, "workloads", "server", "secret-volumes")));
        Assert.DoesNotContain(password, await File.ReadAllTextAsync(Path.Combine(_state, "workloads", "server", "main.log")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_nobody_provides_stops_the_start_naming_the_secret_the_line_and_the_local_folder()
    {
        var document = Manifest(Deployment("        envFrom:\n        - secretRef: {name: ftp}"), "k8s/server.yaml");
        var images = new Dictionary<string, HostImage> { ["tool"] = new(["/bin/true"]) };
        var error = await Assert.ThrowsAsync<EtlException>(() => LocalWorkloadSet.StartAsync(WorkloadParser.Parse([document]), [document], new LocalResources(), images, _state, null, null, CancellationToken.None));
        Assert.Equal("LocalReferenceNotFound", error.Code);
        Assert.Contains("Secret 'ftp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("secrets/ftp/", error.Suggestion, StringComparison.Ordinal);
        Assert.Matches(@"^k8s/server\.yaml:\d+$", error.Target?.ToString());
    }

    private static string SecretDeployment(string name, string volumes) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{name}}
        spec:
          selector:
            matchLabels: {app: {{name}}}
          template:
            metadata:
              labels: {app: {{name}}}
            spec:
              volumes:
        {{volumes}}
              containers:
              - name: main
                image: tool
        """;

    [Fact]
    public async Task A_missing_secret_in_a_later_deployment_leaves_no_secret_files_of_the_earlier_ones_or_its_own()
    {
        string secretDir = Path.Combine(_state, "secrets", "creds");
        Directory.CreateDirectory(secretDir);
        File.WriteAllText(Path.Combine(secretDir, "PASSWORD"), "s3cret");
        var resources = new LocalResources();
        resources.AddSecretFolders(Path.Combine(_state, "secrets"));
        var first = Manifest(SecretDeployment("first", "      - {name: creds, secret: {secretName: creds}}"), "k8s/first.yaml");
        // Its own first volume is written before the second is found missing.
        var second = Manifest(SecretDeployment("second", "      - {name: creds, secret: {secretName: creds}}\n      - {name: other, secret: {secretName: missing}}"), "k8s/second.yaml");
        var images = new Dictionary<string, HostImage> { ["tool"] = new(["/bin/true"]) };

        var error = await Assert.ThrowsAsync<EtlException>(() => LocalWorkloadSet.StartAsync(WorkloadParser.Parse([first, second]), [first, second], resources, images, _state, null, null, CancellationToken.None));

        Assert.Equal("LocalReferenceNotFound", error.Code);
        Assert.Contains("Secret 'missing'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_state, "workloads", "first", "secret-volumes")), "the first Deployment's secret files stayed");
        Assert.False(Directory.Exists(Path.Combine(_state, "workloads", "second", "secret-volumes")), "the second Deployment's secret files stayed");
    }

    [Fact]
    public async Task A_crash_looping_deployment_stopped_between_restarts_leaves_none_of_its_processes_running()
    {
        // Each start records its pid and exits at once: the supervisor keeps relaunching after its backoff, and the
        // stop comes while it does; no process may be left behind, whatever moment it came at.
        string pids = Path.Combine(_state, "pids");
        var document = Manifest(SecretDeployment("looper", "      - {name: scratch, emptyDir: {}}").Replace("image: tool", "image: tool\n        args: ['echo $$ >> " + pids + "; sleep 0.9']", StringComparison.Ordinal), "k8s/looper.yaml");
        var images = new Dictionary<string, HostImage> { ["tool"] = new(["/bin/sh", "-c"]) };
        var set = await LocalWorkloadSet.StartAsync(WorkloadParser.Parse([document]), [document], new LocalResources(), images, _state, null, null, CancellationToken.None);
        var workload = Assert.Single(set.Workloads);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (workload.Starts < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await set.DisposeAsync();
        int starts = workload.Starts;
        Assert.True(starts >= 2, $"the process was started {starts} time(s), not restarted");
        // Lines only from processes that got as far as their echo; none of them may be alive.
        foreach (string line in File.Exists(pids) ? await File.ReadAllLinesAsync(pids) : [])
        {
            int pid = int.Parse(line, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(ProcessGone(pid), $"process {pid} outlived the stop");
        }
    }

    // Gone, or a zombie: a killed orphan waits for this machine's init to reap it, which in a container may never come.
    private static bool ProcessGone(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
