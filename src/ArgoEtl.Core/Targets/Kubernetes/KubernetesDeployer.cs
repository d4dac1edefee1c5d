using System.Security.Cryptography;
using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Images;
using ArgoEtl.Core.Kubernetes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Rendering;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// The Kubernetes target of the dev loop: server-side apply of every rendered object with the session's labels
/// (ApplyEngine: CRDs first, rollouts awaited), pruning of what the session applied before and the manifests no longer
/// hold, cleanup of exactly what carries the session's project label, and its capabilities: the Workflow and Argo
/// Events pods' logs, a status check of EventSources and Sensors, Workflow runs, and the profile's port-forwards.
/// </summary>
public sealed class KubernetesDeployer : IDeployer
{
    private readonly ApplyEngine _engine;
    private readonly string _run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly KubernetesLogTailer _logs;
    private readonly KubernetesStatusChecker _status;
    private readonly WorkflowRunWatcher _runs;
    private readonly KubernetesPortForwarder _forwards;
    private KubernetesSession _session;

    public KubernetesDeployer(KubeClient client, EtlProfile profile, TimeSpan? statusTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(profile);
        _engine = new ApplyEngine(client);
        Project = ProjectFor(profile);
        _session = new KubernetesSession(Project, client.DefaultNamespace).With([]);
        _logs = new KubernetesLogTailer(client, () => Volatile.Read(ref _session));
        _runs = new WorkflowRunWatcher(client, () => Volatile.Read(ref _session));
        _status = new KubernetesStatusChecker(client) { Timeout = statusTimeout ?? TimeSpan.FromMinutes(2) };
        _forwards = new KubernetesPortForwarder(client, profile);
    }

    /// <summary>The label value every object of this session carries (argoetl.io/project).</summary>
    public string Project { get; }

    /// <summary>What the last deploy left running, as the log tailer and the run watcher see it.</summary>
    public KubernetesSession Session => Volatile.Read(ref _session);

    /// <summary>Applying depends on nothing beyond the manifests.</summary>
    public IReadOnlyList<string> Dependencies => [];

    public ILogTailer? LogTailer => _logs;

    public IStatusChecker? StatusChecker => _status;

    public IPortForwarder? PortForwarder => _forwards;

    public IWorkflowRunWatcher? RunWatcher => _runs;

    /// <summary>The project label a dev session of <paramref name="profile"/> puts on what it deploys (what Remove-EtlDeployment looks for).</summary>
    public static string ProjectFor(EtlProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return "dev-" + (profile.ConfigName ?? Path.GetFileName(profile.ProjectDirectory.TrimEnd('/', '\\')));
    }

    public async Task<IReadOnlyList<AppliedObject>> DeployAsync(IReadOnlyList<RenderedObject> objects, IReadOnlyList<EtlImage> images, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);

        // The component label must be a valid label value; where each object came from is in the progress lines.
        // A copy, because applying adds the session's labels to the object.
        var kubeObjects = objects.Select(o => new KubeObject(o.Object.DeepClone().AsObject(), "dev")).ToList();
        var applied = await _engine.ApplyAsync(kubeObjects, Project, _run, null, cancellationToken).ConfigureAwait(false);

        // Pruning: what carries the session's label but was not applied now was removed from the manifests.
        var now = applied.Select(Key).ToHashSet(StringComparer.Ordinal);
        var stale = (await _engine.ListOwnedAsync(Project, cancellationToken).ConfigureAwait(false)).Where(o => !now.Contains(Key(o))).ToList();
        var pruned = await _engine.DeleteAsync(stale, null, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _session, _session.With(applied));

        // A namespace first deployed to now gets its pod and Workflow watches (none before they are started).
        _logs.WatchNewNamespaces();
        _runs.WatchNewNamespaces();
        return
        [
            .. applied,
            .. pruned.Select(p => new AppliedObject { Kind = p.Kind, ApiVersion = p.ApiVersion, Name = p.Name, Namespace = p.Namespace, Component = p.Component, Project = p.Project, Action = "deleted (no longer in the manifests)" }),
        ];
    }

    public async Task<IReadOnlyList<AppliedObject>> CleanupAsync(IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        var owned = await _engine.ListOwnedAsync(Project, cancellationToken).ConfigureAwait(false);
        return await _engine.DeleteAsync(owned, null, cancellationToken).ConfigureAwait(false);
    }

    private static string Key(AppliedObject o) => $"{o.Kind}|{o.Namespace}|{o.Name}";
}
