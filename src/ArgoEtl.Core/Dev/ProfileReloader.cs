using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Dev;

/// <summary>Reads a profile again from its skaffold.yaml, the same way it was chosen: by its names, or by activation when it activated by itself.</summary>
public static class ProfileReloader
{
    public static EtlProfile Reload(EtlProfile current, ProjectContext context)
    {
        ArgumentNullException.ThrowIfNull(current);
        var project = SkaffoldProject.Load(current.Path, context);
        string[]? names = current.AutoActivated ? null : current.Name.Split('+');
        var profiles = project.Effective(names);
        return profiles.FirstOrDefault(p => p.ConfigName == current.ConfigName) ?? profiles[0];
    }
}
