using ArgoEtl.Core.Dev;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Tests.Dev;

/// <summary>Records each hook phase the loop runs (with the profile it ran for) and fails where the bench says.</summary>
internal sealed class FakeHookRunner(TestBench bench) : IHookRunner
{
    public async Task RunAsync(HookPhase phase, EtlProfile profile, IProgress<DevEvent> progress, CancellationToken cancellationToken)
    {
        string name = HostHookRunner.Name(phase);
        bench.Record(c => c.Hooks.Add(name), $"hook {name} ({profile.Name})");
        await bench.CheckAsync("hook", name, cancellationToken);
    }
}
