using ArgoEtl.Core.Projects;
using ArgoEtl.Etl.Storage;
using k8s;
using k8s.KubeConfigModels;
using YamlDotNet.Core;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>
/// Finds and reads the kubeconfig as kubectl does (the given file, else the first existing file KUBECONFIG lists,
/// else ~/.kube/config), and turns each way it can be wrong into a coded error that names the file: a missing file by
/// its own path, a syntax error or an alias bomb by file:line:column, a wrong shape by where the deserializer stopped.
/// </summary>
public static class Kubeconfig
{
    /// <summary>The files in effect and where that choice came from (for messages).</summary>
    public static (IReadOnlyList<string> Files, string Source) Files(string? kubeconfig)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            return ([kubeconfig], "-KubeConfig");
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } list)
        {
            return ([.. list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)], "KUBECONFIG");
        }

        return ([KubernetesClientConfiguration.KubeConfigDefaultLocation], "the default location");
    }

    /// <summary>The kubeconfig's current-context; null when there is no usable kubeconfig (profile activation then matches no kubeContext).</summary>
    /// <param name="file">The kubeconfig file; null for KUBECONFIG, then the default location.</param>
    public static string? CurrentContext(string? file = null)
    {
        try
        {
            return Load(file).Config.CurrentContext;
        }
        catch (EtlException)
        {
            return null;
        }
    }

    public static KubernetesClientConfiguration Build(string? kubeconfig, string? context)
    {
        var (config, files) = Load(kubeconfig);
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or ArgumentException or UriFormatException or FormatException or IOException)
        {
            throw new EtlException(EtlErrors.KubeconfigInvalid, $"{string.Join(", ", files)}{(context is null ? string.Empty : $" (context '{context}')")}: {UrlRedaction.Redact(ex.Message)}",
                "Pick an existing context with -Context (kubectl config get-contexts lists them), or fix the cluster, user and context entries it names.", files[0], ex);
        }
    }

    private static (K8SConfiguration Config, IReadOnlyList<string> Files) Load(string? kubeconfig)
    {
        var (candidates, source) = Files(kubeconfig);
        var existing = candidates.Where(File.Exists).ToList();
        if (existing.Count == 0)
        {
            // kubectl skips KUBECONFIG entries that do not exist, as long as one does.
            throw new EtlException(EtlErrors.KubeconfigNotFound, $"No kubeconfig: {string.Join(", ", candidates)} (from {source}) {(candidates.Count == 1 ? "does" : "do")} not exist.",
                "Start the cluster (minikube start writes ~/.kube/config), or point -KubeConfig or KUBECONFIG at an existing file.", candidates[0]);
        }

        foreach (string file in existing)
        {
            try
            {
                YamlFile.Load(file);
            }
            catch (EtlException ex)
            {
                throw new EtlException(EtlErrors.KubeconfigInvalid, $"Kubeconfig {ex.Message}",
                    ex.Suggestion ?? "Fix the kubeconfig at that position.", file, ex);
            }
        }

        try
        {
            // KubernetesClient reads one file; the first existing one holds the current-context kubectl would use.
            return (KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(existing[0])), existing);
        }
        catch (YamlException ex)
        {
            // The syntax was read above, so this is a field of the wrong type (a list where a map belongs, ...).
            string file = existing[0];
            string reason = ex.InnerException?.Message is { Length: > 0 } inner ? inner : ex.Message;
            throw new EtlException(EtlErrors.KubeconfigInvalid, $"Kubeconfig {YamlLimits.Where(file, ex.Start)}: the value there does not have the shape a kubeconfig needs ({UrlRedaction.Redact(reason)}).",
                "Compare with 'kubectl config view': clusters, users and contexts are lists of {name, cluster|user|context}; current-context is a name.", file, ex);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException)
        {
            throw new EtlException(EtlErrors.KubeconfigInvalid, $"Kubeconfig {string.Join(", ", existing)}: {UrlRedaction.Redact(ex.Message)}",
                "Check the file's permissions and contents ('kubectl config view' reads it the same way).", existing[0], ex);
        }
    }
}
