namespace ArgoEtl.Core.Dev;

/// <summary>
/// When a deploy hook runs: before each deploy, after each successful deploy, or once when the loop ends (ArgoEtl's
/// cleanup phase). BeforeRender comes first in each cycle, ahead of rendering, so what its hooks set in the
/// <see cref="DevSession"/> is rendered; skaffold.yaml has no such hooks (Start-EtlDev -Before runs there).
/// </summary>
public enum HookPhase
{
    Before,
    After,
    Cleanup,
    BeforeRender,
}
