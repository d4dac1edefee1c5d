namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>A Kubernetes <c>SecretKeySelector</c> as an EventSource field holds it (authSecret, accessKey, ...).</summary>
/// <param name="Where">file:line of the selector, for errors about a Secret nobody provides.</param>
public sealed record SecretKeyReference(string Name, string Key, bool Optional, string Where)
{
    public override string ToString() => $"secret {Name}/{Key}";
}
