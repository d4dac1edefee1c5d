namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>A file the step expects at <paramref name="ContainerPath"/> before it starts (a script's source); the runner writes it under the mount that holds that path.</summary>
public sealed record StepFile(string ContainerPath, string Content);
