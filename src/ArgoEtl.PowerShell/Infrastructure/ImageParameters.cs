using System.Management.Automation;
using ArgoEtl.Core.Images;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Where built images go and how they are built: shared by Publish-EtlImage and Start-EtlDev.</summary>
public sealed class ImageParameters : ParameterBundle
{
    /// <summary>
    /// <para type="description">Where images go: host[:port][/path]; each artifact is pushed to &lt;registry&gt;/&lt;image name&gt;. Registries on localhost/127.0.0.1 are spoken to over HTTP. Without it, on a minikube context, images are loaded into the cluster.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Registry { get => Get<string>(); set => Set(value); }

    /// <summary>
    /// <para type="description">The registry login (user name and password or token). Default: the Docker config file's entry for the registry.</para>
    /// </summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get => Get<PSCredential>(); set => Set(value); }

    /// <summary>
    /// <para type="description">Auto (default: .NET projects with the SDK, Dockerfiles with docker, buildah or podman), or one of DotNet, Docker, Buildah, Podman.</para>
    /// </summary>
    [Parameter]
    public BuilderKind Builder { get => Get<BuilderKind?>() ?? BuilderKind.Auto; set => Set<BuilderKind?>(value); }

    /// <summary>
    /// <para type="description">The base image for .NET container builds. Default: the SDK's (a .NET runtime image).</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BaseImage { get => Get<string>(); set => Set(value); }

    /// <summary>The registry login as the core takes it, or null for the Docker config's.</summary>
    public RegistryCredentials? Login() =>
        Credential is null ? null : new RegistryCredentials(Credential.UserName, Credential.GetNetworkCredential().Password);
}
