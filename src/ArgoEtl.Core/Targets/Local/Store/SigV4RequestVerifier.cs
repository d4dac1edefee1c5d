using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ArgoEtl.Core.Aws;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>A request as SigV4 sees it: the target as sent on the wire and the header values as received.</summary>
internal sealed record SignedRequestParts(string Method, string RawPath, string RawQuery, Func<string, string?> Header);

/// <summary>
/// What a verified signature establishes, and what the aws-chunked decoder needs to check each chunk's signature: the
/// signing key, the scope, the request time and the seed signature.
/// </summary>
internal sealed record SigV4Verification(string PayloadHash, byte[] SigningKey, string Scope, string AmzDate, string SeedSignature);

/// <summary>
/// Verifies AWS Signature Version 4 on S3 requests, as S3 does: the Authorization header or a presigned query
/// (X-Amz-Signature), the path signed as sent (S3 does not normalise it), and the payload hash the client declares
/// (a hex SHA-256, UNSIGNED-PAYLOAD, or one of the STREAMING-* modes whose chunks are checked as they are read).
/// </summary>
internal static class SigV4RequestVerifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    public static SigV4Verification Verify(SignedRequestParts request, ObjectStoreCredentials credentials, DateTimeOffset now)
    {
        var query = ParseQuery(request.RawQuery);
        string? authorization = request.Header("Authorization");
        string accessKeyId, date, region, service, amzDate, signature, payloadHash;
        IReadOnlyList<string> signedHeaders;
        bool presigned = authorization is null && query.Any(p => p.Key == "X-Amz-Signature");
        if (presigned)
        {
            string Get(string name) => query.FirstOrDefault(p => p.Key == name).Value
                ?? throw S3Errors.Create("AuthorizationQueryParametersError", $"Query-string authentication requires the {name} parameter.");
            if (Get("X-Amz-Algorithm") != Algorithm)
            {
                throw S3Errors.Create("AuthorizationQueryParametersError", $"X-Amz-Algorithm only supports \"{Algorithm}\".");
            }

            (accessKeyId, date, region, service) = ParseCredential(Get("X-Amz-Credential"));
            amzDate = Get("X-Amz-Date");
            signedHeaders = Get("X-Amz-SignedHeaders").Split(';');
            signature = Get("X-Amz-Signature");
            payloadHash = request.Header("x-amz-content-sha256") ?? UnsignedPayload;
            var signedAt = ParseAmzDate(amzDate);
            if (!int.TryParse(Get("X-Amz-Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out int expires) || expires > 604800)
            {
                throw S3Errors.Create("AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds up to 604800.");
            }

            if (now > signedAt.AddSeconds(expires))
            {
                throw S3Errors.Create("AccessDenied", "Request has expired.");
            }
        }
        else
        {
            if (authorization is null)
            {
                throw S3Errors.Create("AccessDenied", "Anonymous access is not allowed: sign the request with the store's credentials (SigV4).");
            }

            if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
            {
                throw S3Errors.Create("InvalidRequest", $"Only {Algorithm} (Signature Version 4) is supported.");
            }

            var parts = authorization[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!parts.TryGetValue("Credential", out string? credential) || !parts.TryGetValue("SignedHeaders", out string? signed) || !parts.TryGetValue("Signature", out string? sig))
            {
                throw S3Errors.Create("AuthorizationHeaderMalformed", "The authorization header is malformed: it needs Credential, SignedHeaders and Signature.");
            }

            (accessKeyId, date, region, service) = ParseCredential(credential);
            signedHeaders = signed.Split(';');
            signature = sig;
            amzDate = request.Header("x-amz-date")
                ?? throw S3Errors.Create("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header.");
            payloadHash = request.Header("x-amz-content-sha256")
                ?? throw S3Errors.Create("InvalidRequest", "Missing required header for this request: x-amz-content-sha256.");
            if ((now - ParseAmzDate(amzDate)).Duration() > AllowedSkew)
            {
                throw S3Errors.Create("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
            }
        }

        if (!string.Equals(accessKeyId, credentials.AccessKeyId, StringComparison.Ordinal))
        {
            throw S3Errors.Create("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
        }

        string canonical = CanonicalRequest(request, query, signedHeaders, payloadHash, excludeSignature: presigned);
        string scope = $"{date}/{region}/{service}/aws4_request";
        byte[] key = SigningKey(credentials.SecretAccessKey, date, region, service);
        string expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}")));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw S3Errors.Create("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
        }

        return new SigV4Verification(payloadHash, key, scope, amzDate, signature);
    }

    /// <summary>The signature of one aws-chunked chunk, chained from the previous one (the seed is the request's).</summary>
    public static string ChunkSignature(SigV4Verification auth, string previousSignature, ReadOnlySpan<byte> chunkSha256) =>
        Hex(HMACSHA256.HashData(auth.SigningKey, Encoding.UTF8.GetBytes(
            $"AWS4-HMAC-SHA256-PAYLOAD\n{auth.AmzDate}\n{auth.Scope}\n{previousSignature}\n{EmptySha256}\n{Hex(chunkSha256)}")));

    /// <summary>The signature of the trailing headers of a STREAMING-*-TRAILER payload, chained from the last chunk's.</summary>
    public static string TrailerSignature(SigV4Verification auth, string previousSignature, string trailerText) =>
        Hex(HMACSHA256.HashData(auth.SigningKey, Encoding.UTF8.GetBytes(
            $"AWS4-HMAC-SHA256-TRAILER\n{auth.AmzDate}\n{auth.Scope}\n{previousSignature}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(trailerText)))}")));

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static readonly string EmptySha256 = Hex(SHA256.HashData(ReadOnlySpan<byte>.Empty));

    private static (string AccessKeyId, string Date, string Region, string Service) ParseCredential(string credential)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope[3] != "s3")
        {
            throw S3Errors.Create("AuthorizationHeaderMalformed", "The credential must be <access key>/<yyyyMMdd>/<region>/s3/aws4_request.");
        }

        return (scope[0], scope[1], scope[2], scope[3]);
    }

    private static DateTimeOffset ParseAmzDate(string amzDate) =>
        DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw S3Errors.Create("AccessDenied", "x-amz-date must be in the form yyyyMMddTHHmmssZ.");

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    private static string CanonicalRequest(SignedRequestParts request, List<KeyValuePair<string, string>> query, IReadOnlyList<string> signedHeaders, string payloadHash, bool excludeSignature)
    {
        var sb = new StringBuilder();
        sb.Append(request.Method).Append('\n');
        // S3 signs the path as sent, each segment URI-encoded once: decode what the client encoded, encode it again.
        string path = request.RawPath.Length == 0 ? "/" : request.RawPath;
        sb.Append(string.Join('/', path.Split('/').Select(s => Encode(Uri.UnescapeDataString(s))))).Append('\n');
        sb.Append(string.Join('&', query
            .Where(p => !excludeSignature || p.Key != "X-Amz-Signature")
            .Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value))).Append('\n');
        foreach (string name in signedHeaders)
        {
            sb.Append(name).Append(':').Append(TrimAll(request.Header(name) ?? string.Empty)).Append('\n');
        }

        sb.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n').Append(payloadHash);
        return sb.ToString();
    }

    /// <summary>The query's parameters, decoded, in the order sent ('+' kept: SigV4 clients send spaces as %20).</summary>
    public static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        string q = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        return q.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            return eq < 0
                ? new KeyValuePair<string, string>(Uri.UnescapeDataString(pair), string.Empty)
                : new KeyValuePair<string, string>(Uri.UnescapeDataString(pair[..eq]), Uri.UnescapeDataString(pair[(eq + 1)..]));
        }).ToList();
    }

    private static string Encode(string value) => AwsUriEncoding.Encode(value);

    private static string TrimAll(string value) =>
        string.Join(' ', value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
