using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;

namespace ArgoEtl.Tests.Substrates;

/// <summary>Proves each real component the other tests rely on actually works here.</summary>
public sealed class S3rverSmokeTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task Put_then_get_returns_the_same_bytes()
    {
        await s3.Client.PutBucketAsync("smoke");
        await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = "smoke", Key = "a/b.txt", ContentBody = "hello s3rver", UseChunkEncoding = false });

        using var got = await s3.Client.GetObjectAsync("smoke", "a/b.txt");
        using var reader = new StreamReader(got.ResponseStream);
        Assert.Equal("hello s3rver", await reader.ReadToEndAsync());
    }
}

#pragma warning disable SYSLIB0014 // FtpWebRequest: the client the product uses, so the smoke test uses it too.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VsftpdSmokeTests(VsftpdFixture ftp) : IClassFixture<VsftpdFixture>
{
    [Fact]
    public async Task Upload_list_and_download_a_file()
    {
        string url = $"{ftp.Server.Url}/upload/smoke.csv";
        var put = (FtpWebRequest)WebRequest.Create(url);
        put.Method = WebRequestMethods.Ftp.UploadFile;
        put.Credentials = new NetworkCredential("anonymous", "test@");
        await using (var body = await put.GetRequestStreamAsync())
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        }

        using (await put.GetResponseAsync())
        {
        }

        var list = (FtpWebRequest)WebRequest.Create($"{ftp.Server.Url}/upload/");
        list.Method = WebRequestMethods.Ftp.ListDirectory;
        list.Credentials = new NetworkCredential("anonymous", "test@");
        using (var listing = (FtpWebResponse)await list.GetResponseAsync())
        using (var reader = new StreamReader(listing.GetResponseStream()))
        {
            Assert.Contains("smoke.csv", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }

        var get = (FtpWebRequest)WebRequest.Create(url);
        get.Method = WebRequestMethods.Ftp.DownloadFile;
        get.Credentials = new NetworkCredential("anonymous", "test@");
        using var response = (FtpWebResponse)await get.GetResponseAsync();
        using var content = new StreamReader(response.GetResponseStream());
        Assert.Equal("a,b\n1,2\n", await content.ReadToEndAsync());
        Assert.True(File.Exists(Path.Combine(ftp.Server.RootDirectory, "upload", "smoke.csv")));
    }
}
#pragma warning restore SYSLIB0014

public sealed class RegistrySmokeTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public async Task Push_and_pull_a_blob_and_manifest()
    {
        using var http = new HttpClient { BaseAddress = new Uri(registry.Server.Url) };
        byte[] config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        string configDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));

        // The registry ignores a monolithic POST ?digest=; start an upload, then PUT the bytes to its Location.
        using var start = await http.PostAsync("/v2/smoke/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        string sep = location.ToString().Contains('?', StringComparison.Ordinal) ? "&" : "?";
        using var upload = await http.PutAsync($"{location}{sep}digest={configDigest}", new ByteArrayContent(config));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);

        string manifest = $$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{configDigest}}","size":{{config.Length}}},
             "layers":[]}
            """;
        var content = new StringContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.oci.image.manifest.v1+json");
        using var put = await http.PutAsync("/v2/smoke/manifests/v1", content);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        string manifestDigest = put.Headers.GetValues("Docker-Content-Digest").Single();

        using var get = new HttpRequestMessage(HttpMethod.Get, "/v2/smoke/manifests/v1");
        get.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var pulled = await http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, pulled.StatusCode);
        Assert.Equal(manifestDigest, pulled.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(config, await http.GetByteArrayAsync($"/v2/smoke/blobs/{configDigest}"));
    }
}
