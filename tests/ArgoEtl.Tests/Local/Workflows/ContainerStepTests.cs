using System.Diagnostics;
using ArgoEtl.Core.Runs;
using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Tests.Local.Workflows;

/// <summary>
/// Container steps through real buildah (vfs storage in a temp folder, chroot isolation, host network): an image built
/// FROM scratch with a static busybox, run as a Workflow step whose output parameter comes back through the node folder.
/// </summary>
public sealed class ContainerStepTests : IDisposable
{
    private const string Image = "localhost/argoetl-busybox:test";
    private readonly LocalWorkflowHarness _h = new();
    private readonly string _storage;

    public ContainerStepTests()
    {
        _storage = Path.Combine(_h.Root, "buildah");
    }

    public void Dispose()
    {
        // vfs layers are plain folders, but buildah keeps them owned by the user namespace it mapped: remove them with buildah.
        Buildah("rm", "--all");
        Buildah("rmi", "--all", "--force");
        _h.Dispose();
    }

    [Fact]
    public async Task A_container_step_runs_in_buildah_and_its_output_parameter_comes_back()
    {
        BuildBusyboxImage();
        var containers = new ContainerStepRunner(ContainerEngine.Buildah, _storage);
        _h.Runner = new ImageStepDispatcher(new HostProcessStepRunner(_h.Images), containers);
        var run = await _h.RunAsync($$$"""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: boxed}
            spec:
              entrypoint: main
              templates:
              - name: main
                steps:
                - - name: in-box
                    template: box
                    arguments: {parameters: [{name: who, value: container}]}
                - - name: on-host
                    template: host
                    arguments: {parameters: [{name: said, value: "{{steps.in-box.outputs.parameters.said}}"}]}
              - name: box
                inputs:
                  parameters: [{name: who}]
                container:
                  image: {{{Image}}}
                  command: [sh, -c]
                  args: ['echo "hello $WHO from $(pwd)"; printf "%s" "$WHO in $(cat /etc/hostname 2>/dev/null || echo box)" > /tmp/out/said.txt']
                  workingDir: /
                  env: [{name: WHO, value: "{{inputs.parameters.who}}"}]
                outputs:
                  parameters:
                  - {name: said, valueFrom: {path: /tmp/out/said.txt}}
              - name: host
                inputs:
                  parameters: [{name: said}]
                container:
                  image: alpine:3
                  command: [sh, -c, "echo '{{inputs.parameters.said}}'"]
            """);

        Assert.True(run.Phase == EtlRunPhase.Succeeded, run.Describe());
        Assert.StartsWith("container in ", run.Node("boxed[0].in-box").Outputs["said"], StringComparison.Ordinal);
        Assert.Contains(_h.Lines, l => l.Node == "boxed[0].in-box" && l.Line == "hello container from /");
        Assert.Contains(_h.Lines, l => l.Node == "boxed[1].on-host" && l.Line.StartsWith("container in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_image_neither_mapped_nor_in_local_storage_is_an_error_naming_step_image_and_remedy()
    {
        _h.Runner = new ImageStepDispatcher(new HostProcessStepRunner(_h.Images), new ContainerStepRunner(ContainerEngine.Buildah, _storage));
        var run = await _h.RunAsync("""
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: missing}
            spec:
              entrypoint: main
              templates:
              - name: main
                container: {image: "localhost/not-built:1", command: [sh, -c, "true"]}
            """);

        Assert.Equal(EtlRunPhase.Error, run.Phase);
        Assert.Contains("Step 'missing'", run.Message, StringComparison.Ordinal);
        Assert.Contains("localhost/not-built:1", run.Message, StringComparison.Ordinal);
        Assert.Contains("pull localhost/not-built:1", run.Message, StringComparison.Ordinal);
    }

    private void BuildBusyboxImage()
    {
        string context = Path.Combine(_h.Root, "ctx");
        Directory.CreateDirectory(context);
        File.Copy("/usr/bin/busybox", Path.Combine(context, "busybox"));
        string container = Buildah("from", "scratch").Trim().Split('\n')[^1];
        Buildah("copy", container, Path.Combine(context, "busybox"), "/bin/busybox");
        Buildah("run", "--isolation", "chroot", container, "--", "/bin/busybox", "--install", "-s", "/bin");
        Buildah("commit", "-q", container, Image);
        Buildah("rm", container);
    }

    private string Buildah(params string[] args)
    {
        var start = new ProcessStartInfo("buildah") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["--storage-driver", "vfs", "--root", Path.Combine(_storage, "root"), "--runroot", Path.Combine(_storage, "runroot"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 && args[0] is not ("rm" or "rmi"))
        {
            throw new InvalidOperationException($"buildah {string.Join(' ', args)} failed: {stderr.Result}");
        }

        return stdout;
    }
}
