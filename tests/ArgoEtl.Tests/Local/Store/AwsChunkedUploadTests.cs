using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Local.Store;

/// <summary>
/// aws-chunked bodies in the modes the SDK over http does not send (signed chunks without a trailer; unsigned chunks
/// with a checksum trailer, what the CLI and SDKs send over https), built with the test servers' independent SigV4
/// implementation.
/// </summary>
public sealed class AwsChunkedUploadTests
{
    private const string Crc32Of123456789 = "y/Q5Jg=="; // 0xCBF43926, the published check value

    [Fact]
    public async Task SignedChunksAreVerifiedAndATamperedChunkIsRefused()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("chunks");
        byte[][] chunks = [RandomNumberGenerator.GetBytes(70000), RandomNumberGenerator.GetBytes(1234)];

        using var ok = await SendAsync(t, "chunks/signed.bin", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", chunks, tamper: false, trailer: null);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        byte[] whole = [.. chunks[0], .. chunks[1]];
        Assert.Equal(whole, await File.ReadAllBytesAsync(Path.Combine(t.StateDirectory, "buckets", "chunks", "signed.bin")));

        using var bad = await SendAsync(t, "chunks/tampered.bin", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", chunks, tamper: true, trailer: null);
        Assert.Equal(HttpStatusCode.Forbidden, bad.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await bad.Content.ReadAsStringAsync());
        Assert.False(File.Exists(Path.Combine(t.StateDirectory, "buckets", "chunks", "tampered.bin")));
        Assert.Single(t.Notifications);
    }

    [Fact]
    public async Task UnsignedChunksWithAChecksumTrailerAreCheckedAgainstTheBytes()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("chunks");
        byte[][] chunks = ["12345"u8.ToArray(), "6789"u8.ToArray()];

        using var ok = await SendAsync(t, "chunks/trailer.txt", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", chunks, tamper: false, trailer: Crc32Of123456789);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(Crc32Of123456789, ok.Headers.GetValues("x-amz-checksum-crc32").Single());
        Assert.Equal("123456789", await File.ReadAllTextAsync(Path.Combine(t.StateDirectory, "buckets", "chunks", "trailer.txt")));

        using var bad = await SendAsync(t, "chunks/wrong.txt", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", chunks, tamper: false, trailer: "AAAAAA==");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("<Code>BadDigest</Code>", await bad.Content.ReadAsStringAsync());
        Assert.False(File.Exists(Path.Combine(t.StateDirectory, "buckets", "chunks", "wrong.txt")));
    }

    private static async Task<HttpResponseMessage> SendAsync(StoreUnderTest t, string bucketAndKey, string mode, byte[][] chunks, bool tamper, string? trailer)
    {
        var now = DateTime.UtcNow;
        string amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), date = amzDate[..8];
        string host = t.Store.Endpoint.Authority;
        long decodedLength = chunks.Sum(c => (long)c.Length);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("content-encoding", "aws-chunked"),
            new("host", host),
            new("x-amz-content-sha256", mode),
            new("x-amz-date", amzDate),
            new("x-amz-decoded-content-length", decodedLength.ToString(CultureInfo.InvariantCulture)),
        };
        if (trailer is not null)
        {
            headers.Add(new("x-amz-trailer", "x-amz-checksum-crc32"));
        }

        var signedHeaders = headers.Select(h => h.Key).Order(StringComparer.Ordinal).ToList();
        var auth = new SigV4Verifier.Authorization(t.Store.Credentials.AccessKeyId, date, "us-east-1", "s3", signedHeaders, string.Empty);
        string seed = SigV4Verifier.ExpectedSignature(new SignableRequest("PUT", "/" + bucketAndKey, string.Empty, headers, mode), auth, amzDate, t.Store.Credentials.SecretAccessKey, normalizePath: false);
        string scope = $"{date}/us-east-1/s3/aws4_request";
        string emptyHash = SigV4Verifier.Hex(SHA256.HashData(Array.Empty<byte>()));

        var body = new MemoryStream();
        string previous = seed;
        foreach (byte[] chunk in chunks.Append([]))
        {
            string header = chunk.Length.ToString("x", CultureInfo.InvariantCulture);
            if (mode.StartsWith("STREAMING-AWS4", StringComparison.Ordinal))
            {
                string toSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{amzDate}\n{scope}\n{previous}\n{emptyHash}\n{SigV4Verifier.Hex(SHA256.HashData(chunk))}";
                previous = SigV4Verifier.Signature(t.Store.Credentials.SecretAccessKey, date, "us-east-1", "s3", toSign);
                header += ";chunk-signature=" + previous;
            }

            body.Write(Encoding.ASCII.GetBytes(header + "\r\n"));
            byte[] sent = (byte[])chunk.Clone();
            if (tamper && sent.Length > 0)
            {
                sent[0] ^= 0xFF;
                tamper = false;
            }

            body.Write(sent);
            if (chunk.Length > 0)
            {
                body.Write("\r\n"u8);
            }
        }

        if (trailer is not null)
        {
            body.Write(Encoding.ASCII.GetBytes($"x-amz-checksum-crc32:{trailer}\r\n"));
        }

        body.Write("\r\n"u8);

        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(t.Store.Endpoint, bucketAndKey)) { Content = new ByteArrayContent(body.ToArray()) };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{SigV4Verifier.Algorithm} Credential={t.Store.Credentials.AccessKeyId}/{scope}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={seed}");
        foreach (var (name, value) in headers.Where(h => h.Key is not ("host" or "content-encoding")))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }
}
