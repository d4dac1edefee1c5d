using System.Diagnostics;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Infra.Components;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Eks;

/// <summary>
/// Step 4: the AWS Load Balancer Controller of the pinned release, with clusterName set and the ServiceAccount of step 3
/// (serviceAccount.create=false). With helm on PATH: the upstream chart, after the objects are applied; otherwise its
/// rendered manifests (aws-load-balancer-controller/controller.yaml under -ManifestSource, else the release's full
/// manifest), applied with the rest.
/// </summary>
public sealed class LoadBalancerControllerComponent : InfraComponent
{
    public override string Name => "LoadBalancerController";

    /// <summary>Where helm is, or null: the manifests are applied instead.</summary>
    public static string? Helm() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "helm")).FirstOrDefault(File.Exists);

    public override async Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.RequireEks();
        if (Helm() is not null && context.Options.ManifestSource is null)
        {
            return [];
        }

        var docs = await UpstreamManifests.LoadYamlAsync(context.Options, "aws-load-balancer-controller", "controller.yaml", eks.ControllerManifestUrl, cancellationToken).ConfigureAwait(false);
        var objects = new List<KubeObject>();
        foreach (var doc in docs)
        {
            string kind = doc["kind"]!.GetValue<string>();
            string? name = doc["metadata"]?["name"]?.GetValue<string>();
            if (kind == "ServiceAccount" && name == EksOptions.ControllerServiceAccount)
            {
                continue; // serviceAccount.create=false: step 3 owns it (with the role annotation).
            }

            if (kind == "Deployment")
            {
                SetClusterName(doc, eks.ClusterName);
            }

            objects.Add(new KubeObject(KubeObjects.Place(doc, EksOptions.ControllerNamespace), Name));
        }

        return objects;
    }

    public override Task<IReadOnlyList<InfraStep>> PlanPostApplyAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var eks = context.RequireEks();
        if (Helm() is not { } helm || context.Options.ManifestSource is not null)
        {
            return Task.FromResult<IReadOnlyList<InfraStep>>([]);
        }

        string[] args =
        [
            "upgrade", "--install", "aws-load-balancer-controller", "aws-load-balancer-controller", "--repo", "https://aws.github.io/eks-charts",
            "--version", eks.ControllerChartVersion, "--namespace", EksOptions.ControllerNamespace,
            "--set", $"clusterName={eks.ClusterName}", "--set", "serviceAccount.create=false", "--set", $"serviceAccount.name={EksOptions.ControllerServiceAccount}",
            "--kube-context", context.Client.Context ?? string.Empty, "--wait",
        ];
        return Task.FromResult<IReadOnlyList<InfraStep>>([new InfraStep(Name, "HelmRelease", "aws-load-balancer-controller", $"helm upgrade --install (chart {eks.ControllerChartVersion})", async ct =>
        {
            var start = new ProcessStartInfo(helm) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string a in args.Where(a => a.Length > 0 && !(a == "--kube-context" && context.Client.Context is null)))
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start)!;
            int exitCode;
            string error;

            // Ctrl+C: helm (and what it started) is killed, not left changing the cluster after the cmdlet returned.
            using (ct.Register(() => Kill(process)))
            {
                // Both pipes are read at once: a helm that fills one while we wait on the other would hang for ever.
                var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await output.ConfigureAwait(false);
                error = await errors.ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
                exitCode = process.ExitCode;
            }

            if (exitCode != 0)
            {
                throw new EtlException(EtlErrors.HelmInstallFailed, EtlErrorKind.Internal, $"helm upgrade --install aws-load-balancer-controller failed (exit {exitCode}): {error.Trim()}",
                    "Fix what helm reports, or pass -ManifestSource with aws-load-balancer-controller/controller.yaml (helm template output).", "aws-load-balancer-controller");
            }

            return "installed";
        })]);
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
    }

    private static void SetClusterName(JsonObject deployment, string cluster)
    {
        foreach (var container in deployment["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
        {
            if (container?["args"] is not JsonArray args)
            {
                continue;
            }

            int at = args.ToList().FindIndex(a => a?.GetValue<string>().StartsWith("--cluster-name=", StringComparison.Ordinal) == true);
            if (at >= 0)
            {
                args[at] = $"--cluster-name={cluster}";
            }
            else
            {
                args.Add($"--cluster-name={cluster}");
            }
        }
    }
}
