namespace ArgoEtl.Core.Projects;

/// <summary>
/// What profile activation looks at: the command being run (Skaffold's dev, run, build, render, deploy...), the kube
/// context, and environment variables. The kube context is read from the kubeconfig only if a profile asks for it.
/// </summary>
public sealed class ProjectContext
{
    private readonly Lazy<string?> _kubeContext;

    public ProjectContext(string? command = null, string? kubeContext = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        Command = command;
        Environment = environment ?? System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        _kubeContext = new Lazy<string?>(() => kubeContext ?? CurrentKubeContext());
    }

    public string? Command { get; }

    public string? KubeContext => _kubeContext.Value;

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>current-context of the kubeconfig (KUBECONFIG or ~/.kube/config); null when there is none.</summary>
    public static string? CurrentKubeContext() => Kubernetes.Kubeconfig.CurrentContext();
}
