using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Dev;

/// <summary>Waits until what a deploy applied is healthy (rolled out, running); an EtlException naming the object when it is not.</summary>
public interface IStatusChecker
{
    Task CheckAsync(IReadOnlyList<AppliedObject> deployed, IProgress<DevEvent> progress, CancellationToken cancellationToken);
}
