namespace ArgoEtl.Core.Targets.Local.Steps;

/// <summary>A host folder seen by the step at <paramref name="ContainerPath"/> (an emptyDir volume, the folder of an output or input file, the script staging folder).</summary>
public sealed record StepMount(string HostPath, string ContainerPath, bool ReadOnly = false);
