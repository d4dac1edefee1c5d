using System.Text.RegularExpressions;

namespace ArgoEtl.Etl.Storage;

/// <summary>
/// Takes credentials out of URLs before they reach a message, a warning, a log or an error's target: the userinfo
/// part (user:password@) of any scheme://user:password@host URL becomes "***@". Every URL the module and argoetl-etl
/// print goes through here (kube server, S3, FTP and AWS endpoints, registries), so a password written into a URL is
/// never shown. The one copy for the data and the control plane (the core references this assembly).
/// </summary>
public static partial class UrlRedaction
{
    public const string Mask = "***";

    /// <summary>The URL as text, with its userinfo masked.</summary>
    public static string Redact(Uri? uri) => uri is null ? string.Empty : Redact(uri.ToString());

    /// <summary>Any text (a URL, or a message that quotes one) with the userinfo of every URL in it masked.</summary>
    public static string Redact(string? text) =>
        string.IsNullOrEmpty(text) || !text.Contains('@', StringComparison.Ordinal) ? text ?? string.Empty : UserInfo().Replace(text, "${scheme}" + Mask + "@");

    // scheme:// then anything up to the first '@' that is not a path, query, quote or whitespace character: the userinfo.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s'""]+@", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex UserInfo();
}
