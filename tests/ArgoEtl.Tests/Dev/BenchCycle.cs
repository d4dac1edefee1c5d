namespace ArgoEtl.Tests.Dev;

/// <summary>What one cycle of the dev loop did, as the TestBench saw it (Skaffold's runner test Actions).</summary>
internal sealed record BenchCycle
{
    /// <summary>Artifacts built, as name:build-number ("app:2" is app's second build).</summary>
    public List<string> Built { get; } = [];

    /// <summary>Renders: the images each render was given, sorted.</summary>
    public List<string> Rendered { get; } = [];

    /// <summary>The images the deployed objects use (sorted), once per deploy.</summary>
    public List<string> Deployed { get; } = [];

    /// <summary>Kind/name of what each deploy was given.</summary>
    public List<string> Objects { get; } = [];

    /// <summary>Hook phases run (before, after, cleanup).</summary>
    public List<string> Hooks { get; } = [];

    public override string ToString() =>
        $"built [{string.Join(", ", Built)}] rendered [{string.Join(", ", Rendered)}] deployed [{string.Join(", ", Deployed)}] hooks [{string.Join(", ", Hooks)}]";
}
