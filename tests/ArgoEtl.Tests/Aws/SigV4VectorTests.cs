using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Aws;

/// <summary>
/// AWS's published SigV4 test vectors (../shared/aws). The test endpoint's verifier must reproduce every canonical
/// request, string to sign and signature; AWSSDK.Core's signer, which the module uses, must produce signatures that
/// verifier accepts for the same requests.
/// </summary>
public sealed class SigV4VectorTests
{
    private static readonly string Suite = Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "aws", "sigv4-test-suite");

    private static IEnumerable<string> VectorNames() =>
        Directory.GetDirectories(Suite).Order(StringComparer.Ordinal).Where(dir => File.Exists(Path.Combine(dir, "header-signature.txt"))).Select(Path.GetFileName)!;

    public static TheoryData<string> Cases() => [.. VectorNames()];

    [Fact]
    public void The_suite_is_present_and_complete() => Assert.True(Cases().Count >= 30, $"expected the AWS SigV4 vectors under {Suite}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verifier_reproduces_the_canonical_request_string_to_sign_and_signature(string name)
    {
        var v = Vector.Load(Path.Combine(Suite, name));
        var signed = Vector.ParseRequest(File.ReadAllText(Path.Combine(Suite, name, "header-signed-request.txt")));
        var auth = SigV4Verifier.Authorization.Parse(signed.Headers.Single(h => h.Key == "Authorization").Value)!;

        string canonical = SigV4Verifier.CanonicalRequest(signed, auth.SignedHeaders, v.Normalize);
        Assert.Equal(Read(name, "header-canonical-request.txt"), canonical);

        string scope = $"{auth.Date}/{auth.Region}/{auth.Service}/aws4_request";
        string toSign = SigV4Verifier.StringToSign(v.AmzDate, scope, canonical);
        Assert.Equal(Read(name, "header-string-to-sign.txt"), toSign);
        Assert.Equal(Read(name, "header-signature.txt"), SigV4Verifier.Signature(v.Secret, auth.Date, auth.Region, auth.Service, toSign));
        Assert.Equal(auth.Signature, SigV4Verifier.ExpectedSignature(signed, auth, v.AmzDate, v.Secret, v.Normalize));
    }

    /// <summary>
    /// The vectors an HTTP client can send at all. The others (raw spaces in a path, repeated or folded header lines,
    /// unnormalised S3-style paths) exercise the verifier's canonicalisation only, in the theory above.
    /// </summary>
    public static TheoryData<string> SendableCases()
    {
        var data = new TheoryData<string>();
        foreach (string name in VectorNames())
        {
            var v = Vector.Load(Path.Combine(Suite, name));
            var raw = Vector.ParseRequest(File.ReadAllText(Path.Combine(Suite, name, "request.txt")));
            bool sendable = v.Normalize && !raw.RawPath.Contains(' ', StringComparison.Ordinal)
                && !raw.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).Any(g => g.Count() > 1)
                && !raw.Headers.Any(h => h.Value.Contains('\n', StringComparison.Ordinal));
            if (sendable)
            {
                data.Add(name);
            }
        }

        return data;
    }

    [Fact]
    public void Most_vectors_are_sendable_by_an_HTTP_client() => Assert.True(SendableCases().Count >= 20);

    [Theory]
    [MemberData(nameof(SendableCases))]
    public async Task Sdk_signer_output_is_accepted_by_the_verifier_and_a_wrong_secret_is_not(string name)
    {
        var v = Vector.Load(Path.Combine(Suite, name));
        var raw = Vector.ParseRequest(File.ReadAllText(Path.Combine(Suite, name, "request.txt")));

        var request = new AWSSigningRequest
        {
            HttpMethod = new HttpMethod(raw.Method),
            RequestUri = new Uri("https://" + raw.Headers.First(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value + raw.RawPath + (raw.RawQuery.Length > 0 ? "?" + raw.RawQuery : string.Empty)),
            Content = v.Body,
        };
        foreach (var (key, value) in raw.Headers.Where(h => !h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            request.Headers[key] = value;
        }

        var credentials = v.Token is null ? (AWSCredentials)new BasicAWSCredentials(v.AccessKey, v.Secret) : new SessionAWSCredentials(v.AccessKey, v.Secret, v.Token);
        var result = await AWSSigV4Signer.SignAsync(request, new AWSSigV4Parameters { Credentials = credentials, Region = Amazon.RegionEndpoint.GetBySystemName(v.Region), Service = v.Service, SignedAt = v.Timestamp }, default);

        var headers = raw.Headers.Concat(result.Headers.Where(h => !raw.Headers.Any(r => r.Key.Equals(h.Key, StringComparison.OrdinalIgnoreCase)))).ToList();
        var auth = SigV4Verifier.Authorization.Parse(headers.Single(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)).Value)!;
        string payloadHash = headers.First(h => h.Key.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase)).Value;
        // What goes on the wire: the path and query as System.Uri encodes them.
        var sent = raw with { RawPath = request.RequestUri.AbsolutePath, RawQuery = request.RequestUri.Query.TrimStart('?'), Headers = headers, PayloadHash = payloadHash };

        string expected = SigV4Verifier.ExpectedSignature(sent, auth, v.AmzDate, v.Secret, normalizePath: true);
        if (SdkDeviations.Contains(name))
        {
            // Recorded, not hidden: if a new AWSSDK.Core fixes these, this fails and the list shrinks.
            Assert.NotEqual(expected, auth.Signature);
            return;
        }

        Assert.Equal(expected, auth.Signature);
        Assert.NotEqual(auth.Signature, SigV4Verifier.ExpectedSignature(sent, auth, v.AmzDate, v.Secret + "x", normalizePath: true));
    }

    // Inputs on which AWSSDK.Core 4's signer differs from the specification: it keeps repeated slashes in a path
    // ("//example//") and sorts query keys before encoding them (a non-ASCII key sorts last instead of first).
    // ArgoEtl never sends either (Query-protocol bodies go in the POST body; S3 paths are /bucket?subresource).
    private static readonly HashSet<string> SdkDeviations = ["get-slashes-normalized", "get-slash-normalized", "get-vanilla-query-order-encoded"];

    private static string Read(string name, string file) => File.ReadAllText(Path.Combine(Suite, name, file)).Replace("\r\n", "\n", StringComparison.Ordinal);

    private sealed record Vector(string AccessKey, string Secret, string? Token, string Region, string Service, DateTime Timestamp, bool Normalize, bool SignBody, byte[] Body)
    {
        public string AmzDate => Timestamp.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        public static Vector Load(string dir)
        {
            using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "context.json")));
            var root = context.RootElement;
            var credentials = root.GetProperty("credentials");
            var request = File.ReadAllText(Path.Combine(dir, "request.txt")).Replace("\r\n", "\n", StringComparison.Ordinal);
            int blank = request.IndexOf("\n\n", StringComparison.Ordinal);
            byte[] body = blank < 0 ? [] : Encoding.UTF8.GetBytes(request[(blank + 2)..]);
            return new Vector(
                credentials.GetProperty("access_key_id").GetString()!,
                credentials.GetProperty("secret_access_key").GetString()!,
                credentials.TryGetProperty("token", out var token) ? token.GetString() : null,
                root.GetProperty("region").GetString()!,
                root.GetProperty("service").GetString()!,
                root.GetProperty("timestamp").GetDateTime().ToUniversalTime(),
                root.TryGetProperty("normalize", out var normalize) && normalize.GetBoolean(),
                root.TryGetProperty("sign_body", out var signBody) && signBody.GetBoolean(),
                body);
        }

        /// <summary>Parses a raw request as the suite writes it: request line, headers (continuation lines fold), blank line, body.</summary>
        public static SignableRequest ParseRequest(string text)
        {
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var first = lines[0];
            string method = first[..first.IndexOf(' ', StringComparison.Ordinal)];
            string target = first[(method.Length + 1)..first.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
            int q = target.IndexOf('?', StringComparison.Ordinal);
            var headers = new List<KeyValuePair<string, string>>();
            int i = 1;
            for (; i < lines.Length && lines[i].Length > 0; i++)
            {
                if (char.IsWhiteSpace(lines[i][0]) && headers.Count > 0)
                {
                    var last = headers[^1];
                    headers[^1] = new(last.Key, last.Value + "\n" + lines[i]);
                    continue;
                }

                int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
                headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..]));
            }

            string body = i + 1 < lines.Length ? string.Join("\n", lines[(i + 1)..]) : string.Empty;
            var declared = headers.FirstOrDefault(h => h.Key.Equals("x-amz-content-sha256", StringComparison.OrdinalIgnoreCase)).Value;
            string hash = declared ?? SigV4Verifier.Hex(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(body)));
            return new SignableRequest(method, q < 0 ? target : target[..q], q < 0 ? string.Empty : target[(q + 1)..], headers, hash);
        }
    }
}
