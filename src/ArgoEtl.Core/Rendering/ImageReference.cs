namespace ArgoEtl.Core.Rendering;

/// <summary>
/// An image reference split the way registries and Skaffold see it: [domain/]path[:tag][@digest]. The first path part is
/// a domain when it has a '.', a ':' or is 'localhost'.
/// </summary>
public sealed record ImageReference(string? Domain, string Path, string? Tag, string? Digest)
{
    /// <summary>domain/path, without tag or digest: what artifact names are matched against.</summary>
    public string Repository => Domain is null ? Path : $"{Domain}/{Path}";

    /// <summary>Has a registry domain and a tag or digest, so it names one image wherever it is pulled.</summary>
    public bool IsFullyQualified => Domain is not null && (Digest is not null || (Tag is not null && Tag != "latest"));

    public static ImageReference Parse(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string rest = reference.Trim();
        string? digest = null;
        int at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }

        string? tag = null;
        int colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        string? domain = null;
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            string first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                domain = first;
                rest = rest[(slash + 1)..];
            }
        }

        return new ImageReference(domain, rest, tag, digest);
    }

    public override string ToString() => Repository + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);
}
