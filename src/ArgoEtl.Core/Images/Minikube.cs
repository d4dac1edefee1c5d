namespace ArgoEtl.Core.Images;

/// <summary>
/// A local minikube cluster as the image destination when there is no registry, as Skaffold does for local clusters:
/// images are built to an archive and loaded with 'minikube image load', and found again with 'minikube image ls'.
/// </summary>
public sealed class Minikube(string profile)
{
    /// <summary>The minikube profile (by default it is also the kube context's name).</summary>
    public string Profile { get; } = profile;

    /// <summary>A kube context that minikube made: named 'minikube', or a minikube profile.</summary>
    public static bool IsMinikubeContext(string? context) =>
        context is not null && (context == "minikube" || Directory.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".minikube", "profiles", context)));

    public async Task<bool> HasImageAsync(string reference, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await ToolProcess.RunAsync("minikube", ["-p", Profile, "image", "ls"], null, null, line => { lock (lines) { lines.Add(line.Trim()); } }, "minikube image ls", reference, cancellationToken).ConfigureAwait(false);

        // minikube lists docker.io/library/ names in full; compare on the name as given or with that prefix.
        return lines.Any(l => l == reference || l == "docker.io/library/" + reference || l.EndsWith("/" + reference, StringComparison.Ordinal));
    }

    public Task LoadAsync(string archive, string artifact, Action<string> log, CancellationToken cancellationToken) =>
        ToolProcess.RunAsync("minikube", ["-p", Profile, "image", "load", archive], null, null, log, "minikube image load", artifact, cancellationToken);
}
