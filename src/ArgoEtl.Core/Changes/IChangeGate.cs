namespace ArgoEtl.Core.Changes;

/// <summary>One state-changing call the core is about to make, described for a person (what -WhatIf prints).</summary>
public sealed record PlannedChange(string Target, string Action);

/// <summary>
/// Plans are made first and shown step by step; nothing changes unless every step is approved. This is how the
/// cmdlets map -WhatIf/-Confirm onto core work without the core knowing about PowerShell.
/// </summary>
public interface IChangeGate
{
    bool Approve(PlannedChange change);
}

/// <summary>Approves everything: for scripts and tests that call the core directly.</summary>
public sealed class ApproveAll : IChangeGate
{
    public static ApproveAll Instance { get; } = new();

    public bool Approve(PlannedChange change) => true;
}
