namespace ArgoEtl.Etl.Storage;

/// <summary>Where an object lives.</summary>
public enum LocationKind
{
    File,
    S3,
    Ftp,
}

/// <summary>
/// A parsed input or output address: <c>s3://bucket/key</c>, <c>ftp://host[:port]/path</c>, <c>file:///path</c> or a
/// plain local path. FTP user information in the URI is kept out of <see cref="ToString"/> so it is never printed.
/// </summary>
public sealed record ObjectLocation
{
    private ObjectLocation(LocationKind kind, string container, string path, Uri? ftpUri)
    {
        Kind = kind;
        Container = container;
        Path = path;
        FtpUri = ftpUri;
    }

    public LocationKind Kind { get; }

    /// <summary>The bucket (S3), host[:port] (FTP), or empty (file).</summary>
    public string Container { get; }

    /// <summary>The key (S3), absolute path (FTP), or full local path (file).</summary>
    public string Path { get; }

    /// <summary>For FTP: the full URI including any credentials. Never printed.</summary>
    internal Uri? FtpUri { get; }

    public static ObjectLocation File(string path) => new(LocationKind.File, string.Empty, System.IO.Path.GetFullPath(path), null);

    public static ObjectLocation S3(string bucket, string key) => new(LocationKind.S3, bucket, key, null);

    public static ObjectLocation Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new EtlException(EtlErrors.LocationInvalid, "A location is empty.",
                "Give a local path, s3://bucket/key or ftp://host/path.", null);
        }

        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            string rest = text[5..];
            int slash = rest.IndexOf('/', StringComparison.Ordinal);
            string bucket = slash < 0 ? rest : rest[..slash];
            string key = slash < 0 ? string.Empty : rest[(slash + 1)..];
            if (bucket.Length == 0)
            {
                throw new EtlException(EtlErrors.LocationInvalid, $"'{UrlRedaction.Redact(text)}' has no bucket name.",
                    "Write S3 locations as s3://bucket/key.", UrlRedaction.Redact(text));
            }

            return S3(bucket, key);
        }

        if (text.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new EtlException(EtlErrors.LocationInvalid, "The FTP location is not a valid URI.",
                    "Write FTP locations as ftp://host[:port]/path.", null);
            }

            string hostPort = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
            return new ObjectLocation(LocationKind.Ftp, hostPort, Uri.UnescapeDataString(uri.AbsolutePath), uri);
        }

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var fileUri) && fileUri.IsFile
                ? File(fileUri.LocalPath)
                : throw new EtlException(EtlErrors.LocationInvalid, $"'{text}' is not a valid file URI.", "Write file:///absolute/path or a plain path.", text);
        }

        if (text.Contains("://", StringComparison.Ordinal))
        {
            throw new EtlException(EtlErrors.LocationUnsupported, $"'{UrlRedaction.Redact(text)}' uses a scheme ArgoEtl does not read.",
                "Use a local path, s3://bucket/key or ftp://host/path.", UrlRedaction.Redact(text));
        }

        return File(text);
    }

    /// <summary>The same container, another path (an output key beside an input key).</summary>
    public ObjectLocation WithPath(string path)
    {
        if (Kind == LocationKind.Ftp && FtpUri is not null)
        {
            var builder = new UriBuilder(FtpUri) { Path = path };
            return new ObjectLocation(Kind, Container, path, builder.Uri);
        }

        return Kind == LocationKind.File ? File(path) : new ObjectLocation(Kind, Container, path, null);
    }

    public override string ToString() => Kind switch
    {
        LocationKind.S3 => $"s3://{Container}/{Path}",
        LocationKind.Ftp => $"ftp://{Container}{Path}",
        _ => Path,
    };
}
