using System.Security.Cryptography;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// The Kubernetes target of the dev loop: server-side apply of every rendered object with the session's labels
/// (ApplyEngine: CRDs first, rollouts awaited), cleanup of exactly what carries the session's project label, and the
/// profile's port-forwards through the API server.
/// </summary>
public sealed class KubernetesDeployer : IDeployer, IPortForwarder
{
    private readonly KubeClient _client;
    private readonly EtlProfile _profile;
    private readonly ApplyEngine _engine;
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly List<PortForward> _forwards = [];

    public KubernetesDeployer(KubeClient client, EtlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(profile);
        _client = client;
        _profile = profile;
        _engine = new ApplyEngine(client);
        Project = "dev-" + (profile.ConfigName ?? Path.GetFileName(profile.ProjectDirectory));
    }

    /// <summary>The label value every object of this session carries (argoetl.io/project).</summary>
    public string Project { get; }

    /// <summary>Applying depends on nothing beyond the manifests.</summary>
    public IReadOnlyList<string> Dependencies => [];

    public async Task<IReadOnlyList<AppliedObject>> DeployAsync(IReadOnlyList<RenderedObject> objects, IReadOnlyList<EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);

        // The component label must be a valid label value; where each object came from is in the progress lines.
        // A copy, because applying adds the session's labels to the object.
        var kubeObjects = objects.Select(o => new KubeObject(o.Object.DeepClone().AsObject(), "dev")).ToList();
        return await _engine.ApplyAsync(kubeObjects, Project, _run, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AppliedObject>> CleanupAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        var owned = await _engine.ListOwnedAsync(Project, cancellationToken).ConfigureAwait(false);
        return await _engine.DeleteAsync(owned, null, cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        foreach (var f in _profile.PortForwards)
        {
            var forward = PortForward.Start(_client, f.Namespace ?? _client.DefaultNamespace, f.ResourceType, f.ResourceName, f.Port, f.LocalPort ?? f.Port, f.Address ?? "127.0.0.1");
            _forwards.Add(forward);
            progress.Report(new DevEvent("forward", $"Forwarding {forward}"));
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        foreach (var forward in _forwards)
        {
            await forward.DisposeAsync().ConfigureAwait(false);
        }

        _forwards.Clear();
    }
}
