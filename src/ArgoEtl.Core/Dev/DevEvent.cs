namespace ArgoEtl.Core.Dev;

/// <summary>
/// What a dev loop reports as it goes: a phase (build, render, hook, deploy, status, forward, logs, watch, reload,
/// cleanup, or error), a line for people, and the object it concerns (an EtlImage, an AppliedObject, or the
/// EtlException of a failed phase).
/// </summary>
public sealed record DevEvent(string Phase, string Message, object? Item = null);
