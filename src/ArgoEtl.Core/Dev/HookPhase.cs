namespace ArgoEtl.Core.Dev;

/// <summary>When a deploy hook runs: before each deploy, after each successful deploy, or once when the loop ends (ArgoEtl's cleanup phase).</summary>
public enum HookPhase
{
    Before,
    After,
    Cleanup,
}
