namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>
/// Gives the value of a Secret key an EventSource names (authSecret, ...). Throws an <see cref="EtlException"/> naming
/// the Secret and key when nobody provides it; the value never goes into a message or log.
/// </summary>
public delegate string SecretResolver(SecretKeyReference reference);
