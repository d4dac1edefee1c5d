namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>How a step ended. <see cref="Stdout"/> is its standard output (capped), Argo's outputs.result.</summary>
public sealed record StepResult(int ExitCode, string LogPath, TimeSpan Duration, bool DeadlineExceeded, string Stdout);
