namespace ArgoEtl.Core.Dev;

/// <summary>
/// Turns file changes into <see cref="ChangeSet"/>s. The loop tells it what each concern depends on (again after a
/// config reload, when artifacts and manifests may have moved); changes that happen while a cycle runs are kept for
/// the next <see cref="NextAsync"/>.
/// </summary>
public interface IChangeFeed : IDisposable
{
    /// <summary>Watch these dependencies from now on (replacing the previous list).</summary>
    void Watch(DevWatchList watchList);

    /// <summary>The next batch of changes that asks for something; batches that ask for nothing are skipped.</summary>
    Task<ChangeSet> NextAsync(CancellationToken cancellationToken);
}
