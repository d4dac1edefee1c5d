using System.Text.RegularExpressions;

namespace ArgoEtl.Etl.Storage;

/// <summary>
/// Removes user information (user:password@) from every URL in a text before it is printed: FTP and S3 endpoint URLs
/// may carry credentials, and messages, logs and exception texts must never show them.
/// </summary>
public static partial class UrlRedaction
{
    public static string Redact(string? text) => text is null ? string.Empty : UserInfo().Replace(text, "${scheme}***@");

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s'""]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();
}
