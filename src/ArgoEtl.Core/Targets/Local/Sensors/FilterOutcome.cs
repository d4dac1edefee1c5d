namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>
/// One filter's verdict on one event, for a dry-run report (argo-events#3339): which filter ("data[0]", "exprs[1]",
/// "context", "time"), whether it passed, and why. <paramref name="IsError"/> marks what upstream reports as a filter
/// error (a missing path, a bad value or regex) rather than a plain mismatch.
/// </summary>
public sealed record FilterOutcome(string Filter, bool Passed, bool IsError, string Reason)
{
    public override string ToString() => $"{Filter}: {(IsError ? "error" : Passed ? "passed" : "not passed")} ({Reason})";
}
