using System.Management.Automation;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Which cluster: the kubeconfig file and context, as kubectl's --kubeconfig and --context.</summary>
public sealed class KubeParameters : ParameterBundle
{
    /// <summary>
    /// <para type="description">The kubeconfig file. Default: KUBECONFIG, then ~/.kube/config.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeConfig { get => Get<string>(); set => Set(value); }

    /// <summary>
    /// <para type="description">The kubeconfig context (kubectl's --context). Default: the kubeconfig's current context.</para>
    /// </summary>
    [Parameter]
    [Alias("Context")]
    [ValidateNotNullOrEmpty]
    public string? KubeContext { get => Get<string>(); set => Set(value); }

    /// <summary>Whether the user named a cluster at all (either parameter).</summary>
    public bool Given => KubeConfig is not null || KubeContext is not null;

    /// <summary>The context meant: -KubeContext, else the current context of the kubeconfig chosen; null when there is none.</summary>
    public string? ContextName(Func<string, string> resolvePath)
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        return KubeContext ?? Kubeconfig.CurrentContext(KubeConfig is null ? null : resolvePath(KubeConfig));
    }

    /// <summary>A client for the chosen cluster; <paramref name="resolvePath"/> turns a PowerShell path into a file system path.</summary>
    public KubeClient Connect(Func<string, string> resolvePath)
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        return KubeClient.Connect(KubeConfig is null ? null : resolvePath(KubeConfig), KubeContext);
    }
}
