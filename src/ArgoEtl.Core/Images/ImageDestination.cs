namespace ArgoEtl.Core.Images;

/// <summary>Where built images go: a registry with its login, or, with no registry, a minikube cluster to load them into.</summary>
public sealed record ImageDestination(string? Registry, Minikube? LoadInto, RegistryCredentials? Credentials)
{
    /// <summary>
    /// The registry and the login for it (the given one, else the Docker config's); with no registry, the minikube
    /// cluster of <paramref name="kubeContext"/>, as Skaffold does for local clusters. Anything else is an error
    /// that names <paramref name="command"/>.
    /// </summary>
    public static ImageDestination Resolve(string? registry, RegistryCredentials? login, string? kubeContext, string command)
    {
        if (registry is not null)
        {
            return new ImageDestination(registry, null, login ?? RegistryCredentials.FromDockerConfig(registry.Split('/')[0]));
        }

        return Minikube.IsMinikubeContext(kubeContext)
            ? new ImageDestination(null, new Minikube(kubeContext!), null)
            : throw new EtlException(EtlErrors.RegistryMissing, $"{command} needs somewhere to put images: -Registry host[:port][/path] (the kube context '{kubeContext ?? "none"}' is not a minikube cluster to load them into).",
                "Pass -Registry (e.g. localhost:5000 with 'minikube addons enable registry'), or switch to the minikube context.");
    }
}
