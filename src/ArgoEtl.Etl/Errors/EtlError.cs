namespace ArgoEtl;

/// <summary>
/// One entry of <see cref="EtlErrors"/>: a stable code (the PowerShell ErrorId, what scripts and tests match on), the
/// kind of failure it usually is, what it means, and what the user can do about it.
/// </summary>
public sealed record EtlError(string Code, EtlErrorKind Kind, string Meaning, string WhatToDo)
{
    public override string ToString() => Code;
}
