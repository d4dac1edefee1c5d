using System.Globalization;
using System.Net;
using System.Text;
using ArgoEtl.TestServers.Aws;

namespace ArgoEtl.Tests.Local.Store;

/// <summary>Virtual-host style addressing (Host: bucket.localhost), signed with the test servers' independent SigV4.</summary>
public sealed class VirtualHostStyleTests
{
    [Fact]
    public async Task BucketFromTheHostNameAndKeyFromThePath()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("vhost");
        await File.WriteAllTextAsync(Path.Combine(t.StateDirectory, "buckets", "vhost", "hello.txt"), "hi");

        using var get = await SendAsync(t, HttpMethod.Get, "vhost", "/hello.txt", string.Empty);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("hi", await get.Content.ReadAsStringAsync());

        using var list = await SendAsync(t, HttpMethod.Get, "vhost", "/", "list-type=2");
        Assert.Contains("<Key>hello.txt</Key>", await list.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> SendAsync(StoreUnderTest t, HttpMethod method, string bucket, string path, string query)
    {
        string amzDate = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), date = amzDate[..8];
        string host = $"{bucket}.localhost:{t.Store.Endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        var headers = new List<KeyValuePair<string, string>>
        {
            new("host", host),
            new("x-amz-content-sha256", "UNSIGNED-PAYLOAD"),
            new("x-amz-date", amzDate),
        };
        var signed = headers.Select(h => h.Key).ToList();
        var auth = new SigV4Verifier.Authorization(t.Store.Credentials.AccessKeyId, date, "us-east-1", "s3", signed, string.Empty);
        string signature = SigV4Verifier.ExpectedSignature(new SignableRequest(method.Method, path, query, headers, "UNSIGNED-PAYLOAD"), auth, amzDate, t.Store.Credentials.SecretAccessKey, normalizePath: false);
        var uri = new UriBuilder(t.Store.Endpoint) { Path = path, Query = query }.Uri;
        using var request = new HttpRequestMessage(method, uri);
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("Authorization", new StringBuilder()
            .Append(SigV4Verifier.Algorithm).Append(" Credential=").Append(t.Store.Credentials.AccessKeyId).Append('/').Append(date).Append("/us-east-1/s3/aws4_request, SignedHeaders=")
            .Append(string.Join(';', signed)).Append(", Signature=").Append(signature).ToString());
        using var http = new HttpClient();
        return await http.SendAsync(request);
    }
}
