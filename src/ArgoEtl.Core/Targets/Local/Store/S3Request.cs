using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// Which bucket and key a request addresses, and its query parameters. Path style (<c>/bucket/key</c>) always;
/// virtual-host style when the Host is <c>&lt;bucket&gt;.localhost</c>. The raw path and query are kept as sent,
/// because that is what the signature covers.
/// </summary>
internal sealed record S3Request(string Bucket, string? Key, string RawPath, string RawQuery, Dictionary<string, string> Query)
{
    public bool Has(string parameter) => Query.ContainsKey(parameter);

    public static S3Request From(HttpContext context)
    {
        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (context.Request.Path + context.Request.QueryString).ToString();
        int q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string rawPath = q < 0 ? rawTarget : rawTarget[..q];
        string rawQuery = q < 0 ? string.Empty : rawTarget[(q + 1)..];
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in SigV4RequestVerifier.ParseQuery(rawQuery))
        {
            // Presigned URLs carry their signature in X-Amz-* parameters, and the SDKs add x-id=<operation>: neither
            // chooses the operation.
            if (!name.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase) && name != "x-id")
            {
                query.TryAdd(name, value);
            }
        }

        string path = rawPath.StartsWith('/') ? rawPath[1..] : rawPath;
        string host = context.Request.Host.Host;
        const string localhostSuffix = ".localhost";
        if (host.EndsWith(localhostSuffix, StringComparison.OrdinalIgnoreCase) && host.Length > localhostSuffix.Length)
        {
            string bucket = host[..^localhostSuffix.Length].ToLowerInvariant();
            return new S3Request(bucket, path.Length == 0 ? null : Uri.UnescapeDataString(path), rawPath, rawQuery, query);
        }

        int slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return new S3Request(Uri.UnescapeDataString(path), null, rawPath, rawQuery, query);
        }

        string key = Uri.UnescapeDataString(path[(slash + 1)..]);
        return new S3Request(Uri.UnescapeDataString(path[..slash]), key.Length == 0 ? null : key, rawPath, rawQuery, query);
    }
}
