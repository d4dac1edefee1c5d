using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ArgoEtl.TestServers.Aws;

/// <summary>A request as SigV4 sees it: the raw target as sent, header lines in order, and the payload hash.</summary>
public sealed record SignableRequest(string Method, string RawPath, string RawQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, string PayloadHash);

/// <summary>
/// An independent implementation of AWS Signature Version 4 verification, written from the published specification
/// and checked against AWS's test vectors, so that the module's signer is tested against something it does not share
/// code with. It stays separate from Core's SigV4RequestVerifier on purpose: the local store's tests
/// (tests/ArgoEtl.Tests/Local/Store: aws-chunked uploads, virtual-host style) sign with it to cross-check that verifier,
/// and this server verifies IAM/ECR/SNS requests whose paths are normalised, which the S3-only Core verifier never does.
/// </summary>
public static class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The parts of an Authorization header: Credential=AKID/date/region/service/aws4_request, SignedHeaders=..., Signature=...</summary>
    public sealed record Authorization(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature)
    {
        public static Authorization? Parse(string? header)
        {
            if (header is null || !header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            {
                return null;
            }

            var parts = header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signed) || !parts.TryGetValue("Signature", out var signature))
            {
                return null;
            }

            var scope = credential.Split('/');
            if (scope.Length != 5 || scope[4] != "aws4_request")
            {
                return null;
            }

            return new Authorization(scope[0], scope[1], scope[2], scope[3], signed.Split(';'), signature);
        }
    }

    public static string CanonicalRequest(SignableRequest request, IReadOnlyList<string> signedHeaders, bool normalizePath)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        sb.Append(CanonicalPath(request.RawPath, normalizePath)).Append('\n');
        sb.Append(CanonicalQuery(request.RawQuery)).Append('\n');
        foreach (string name in signedHeaders)
        {
            var values = request.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => TrimAll(h.Value));
            sb.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        sb.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        sb.Append(request.PayloadHash);
        return sb.ToString();
    }

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string secretKey, string date, string region, string service, string stringToSign)
    {
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
        return Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>The signature the request should carry if it was signed with <paramref name="secretKey"/>.</summary>
    public static string ExpectedSignature(SignableRequest request, Authorization authorization, string amzDate, string secretKey, bool normalizePath)
    {
        string canonical = CanonicalRequest(request, authorization.SignedHeaders, normalizePath);
        string scope = $"{authorization.Date}/{authorization.Region}/{authorization.Service}/aws4_request";
        return Signature(secretKey, authorization.Date, authorization.Region, authorization.Service, StringToSign(amzDate, scope, canonical));
    }

    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    // S3 signs the path as sent: each segment encoded once (decoding first makes that hold for a path given unencoded,
    // as in the test vectors). Every other service signs the path as sent, normalised ("." and ".." resolved, repeated
    // slashes collapsed), with each segment encoded again: a "%" on the wire becomes "%25".
    private static string CanonicalPath(string rawPath, bool normalize)
    {
        string path = rawPath.Length == 0 ? "/" : rawPath;
        if (!normalize)
        {
            return string.Join('/', Uri.UnescapeDataString(path).Split('/').Select(Encode));
        }

        var stack = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            stack.Add(segment);
        }

        bool trailing = path.EndsWith('/') && stack.Count > 0;
        return "/" + string.Join('/', stack.Select(Encode)) + (trailing ? "/" : string.Empty);
    }

    private static string CanonicalQuery(string rawQuery)
    {
        string query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        if (query.Length == 0)
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string key = eq < 0 ? pair : pair[..eq];
                string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
                return (Key: Encode(Unescape(key)), Value: Encode(Unescape(value)));
            })
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    // In a query '+' is a space only in form encoding; SigV4 clients send %20, so '+' is kept literally here.
    private static string Unescape(string text) => Uri.UnescapeDataString(text);

    private static string Encode(string text)
    {
        var sb = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    // Leading/trailing space removed, runs of spaces (and folded line breaks) become one space.
    private static string TrimAll(string value) =>
        string.Join(' ', value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
