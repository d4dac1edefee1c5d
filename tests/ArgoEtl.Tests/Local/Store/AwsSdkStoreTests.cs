using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

// S3 ETags are MD5s: the tests compute them to check the store's.
#pragma warning disable CA5351

namespace ArgoEtl.Tests.Local.Store;

/// <summary>The AWS SDK for .NET (v4, its default chunked and checksummed uploads) against the local object store.</summary>
public sealed class AwsSdkStoreTests
{
    [Fact]
    public async Task PutGetHeadRangeAndMetadataRoundTrip()
    {
        await using var t = await StoreUnderTest.StartAsync();
        using var s3 = t.Client();
        await s3.PutBucketAsync("data");
        var put = new PutObjectRequest { BucketName = "data", Key = "dir/a b+c.json", ContentBody = "{\"x\":1}", ContentType = "application/json" };
        put.Metadata["origin"] = "test";
        var putResponse = await s3.PutObjectAsync(put);
        string md5 = Convert.ToHexStringLower(MD5.HashData("{\"x\":1}"u8));
        Assert.Equal($"\"{md5}\"", putResponse.ETag);
        Assert.True(File.Exists(Path.Combine(t.StateDirectory, "buckets", "data", "dir", "a b+c.json")));

        using var get = await s3.GetObjectAsync("data", "dir/a b+c.json");
        Assert.Equal("{\"x\":1}", await new StreamReader(get.ResponseStream).ReadToEndAsync());
        Assert.Equal("application/json", get.Headers.ContentType);
        Assert.Equal("test", get.Metadata["origin"]);

        using var range = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "data", Key = "dir/a b+c.json", ByteRange = new ByteRange(1, 3) });
        Assert.Equal(HttpStatusCode.PartialContent, range.HttpStatusCode);
        Assert.Equal("\"x\"", await new StreamReader(range.ResponseStream).ReadToEndAsync());

        var head = await s3.GetObjectMetadataAsync("data", "dir/a b+c.json");
        Assert.Equal(7, head.ContentLength);

        var notification = Assert.Single(t.Notifications);
        Assert.Equal(("s3:ObjectCreated:Put", "data", "dir/a b+c.json", 7L, md5, "application/json"),
            (notification.EventName, notification.Bucket, notification.Key, notification.Size, notification.ETag, notification.ContentType));
    }

    [Fact]
    public async Task ListObjectsV2PagesWithPrefixDelimiterAndStartAfter()
    {
        await using var t = await StoreUnderTest.StartAsync();
        using var s3 = t.Client();
        await s3.PutBucketAsync("list");
        foreach (string key in new[] { "a/1", "a/2", "b/1", "c", "d/x/y", "e" })
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = "list", Key = key, ContentBody = key });
        }

        var keys = new List<string>();
        string? token = null;
        int pages = 0;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", MaxKeys = 2, ContinuationToken = token });
            keys.AddRange(page.S3Objects?.Select(o => o.Key) ?? []);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            pages++;
        }
        while (token is not null);
        Assert.Equal(["a/1", "a/2", "b/1", "c", "d/x/y", "e"], keys);
        Assert.Equal(3, pages);

        var rolled = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Delimiter = "/" });
        Assert.Equal(["a/", "b/", "d/"], rolled.CommonPrefixes);
        Assert.Equal(["c", "e"], rolled.S3Objects.Select(o => o.Key));

        // A page boundary on a common prefix resumes after all the keys it rolled up.
        var first = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Delimiter = "/", MaxKeys = 1 });
        Assert.Equal(["a/"], first.CommonPrefixes);
        var second = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Delimiter = "/", MaxKeys = 1, ContinuationToken = first.NextContinuationToken });
        Assert.Equal(["b/"], second.CommonPrefixes);

        var prefixed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "list", Prefix = "a/", StartAfter = "a/1" });
        Assert.Equal(["a/2"], prefixed.S3Objects.Select(o => o.Key));

        var v1 = await s3.ListObjectsAsync(new ListObjectsRequest { BucketName = "list", Marker = "c", MaxKeys = 1 });
        Assert.Equal(["d/x/y"], v1.S3Objects.Select(o => o.Key));
        Assert.True(v1.IsTruncated);
    }

    [Fact]
    public async Task MultipartUploadListsPartsAndCompletesWithMd5OfMd5s()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("multi");
        using var s3 = t.Client();
        byte[] part1 = RandomNumberGenerator.GetBytes(5 * 1024 * 1024), part2 = RandomNumberGenerator.GetBytes(1000);
        var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "multi", Key = "out/data.parquet" });
        var e1 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = "multi", Key = "out/data.parquet", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) });
        var e2 = await s3.UploadPartAsync(new UploadPartRequest { BucketName = "multi", Key = "out/data.parquet", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) });
        Assert.False(File.Exists(Path.Combine(t.StateDirectory, "buckets", "multi", "out", "data.parquet")));

        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = "multi", Key = "out/data.parquet", UploadId = init.UploadId });
        Assert.Equal([(1, part1.Length), (2, part2.Length)], parts.Parts.Select(p => (p.PartNumber ?? 0, (int)(p.Size ?? 0))));

        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "multi", Key = "out/data.parquet", UploadId = init.UploadId,
            PartETags = [new PartETag(1, e1.ETag), new PartETag(2, "\"00000000000000000000000000000000\"")],
        }));
        Assert.Equal(("InvalidPart", HttpStatusCode.BadRequest), (wrong.ErrorCode, wrong.StatusCode));

        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = "multi", Key = "out/data.parquet", UploadId = init.UploadId, PartETags = [new PartETag(1, e1.ETag), new PartETag(2, e2.ETag)],
        });
        byte[] md5s = [.. MD5.HashData(part1), .. MD5.HashData(part2)];
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(md5s))}-2\"", done.ETag);
        byte[] whole = [.. part1, .. part2];
        Assert.Equal(whole, await File.ReadAllBytesAsync(Path.Combine(t.StateDirectory, "buckets", "multi", "out", "data.parquet")));
        Assert.Equal("s3:ObjectCreated:CompleteMultipartUpload", Assert.Single(t.Notifications).EventName);

        var aborted = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = "multi", Key = "gone" });
        await s3.AbortMultipartUploadAsync("multi", "gone", aborted.UploadId);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = "multi", Key = "gone", UploadId = aborted.UploadId }));
        Assert.Equal("NoSuchUpload", missing.ErrorCode);
    }

    [Fact]
    public async Task WrongSecretOrKeyIsRefusedWith403AndNothingIsStored()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("sec");
        // Credentials of nobody's, made for this run: the store's own are generated too.
        var other = ArgoEtl.Core.Targets.Local.Store.ObjectStoreCredentials.Generate();
        using var wrongSecret = t.Client(secret: other.SecretAccessKey);
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrongSecret.PutObjectAsync(new PutObjectRequest { BucketName = "sec", Key = "k", ContentBody = "x" }));
        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (put.ErrorCode, put.StatusCode));
        var get = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrongSecret.GetObjectAsync("sec", "k"));
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        var list = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrongSecret.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "sec" }));
        Assert.Equal("SignatureDoesNotMatch", list.ErrorCode);
        var multipart = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrongSecret.InitiateMultipartUploadAsync("sec", "k"));
        Assert.Equal(HttpStatusCode.Forbidden, multipart.StatusCode);

        using var wrongKey = t.Client(accessKey: other.AccessKeyId);
        var key = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrongKey.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "sec" }));
        Assert.Equal(("InvalidAccessKeyId", HttpStatusCode.Forbidden), (key.ErrorCode, key.StatusCode));

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(t.StateDirectory, "buckets", "sec")));
        Assert.Empty(t.Notifications);
        Assert.DoesNotContain(t.Store.Credentials.SecretAccessKey, t.Store.Credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3ErrorCodesForMissingAndConflictingThings()
    {
        await using var t = await StoreUnderTest.StartAsync();
        using var s3 = t.Client();
        var noBucket = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("nope", "k"));
        Assert.Equal(("NoSuchBucket", HttpStatusCode.NotFound), (noBucket.ErrorCode, noBucket.StatusCode));
        await s3.PutBucketAsync("full");
        var again = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutBucketAsync("full"));
        Assert.Equal(("BucketAlreadyOwnedByYou", HttpStatusCode.Conflict), (again.ErrorCode, again.StatusCode));
        var noKey = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("full", "missing"));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (noKey.ErrorCode, noKey.StatusCode));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "full", Key = "k", ContentBody = "x" });
        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync("full"));
        Assert.Equal(("BucketNotEmpty", HttpStatusCode.Conflict), (notEmpty.ErrorCode, notEmpty.StatusCode));
        var badMd5 = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "full", Key = "md5", ContentBody = "hello", MD5Digest = Convert.ToBase64String(MD5.HashData("other"u8)),
        }));
        Assert.Equal("BadDigest", badMd5.ErrorCode);
        Assert.False(File.Exists(Path.Combine(t.StateDirectory, "buckets", "full", "md5")));

        var location = await s3.GetBucketLocationAsync("full");
        Assert.Equal(HttpStatusCode.OK, location.HttpStatusCode);
        var buckets = await s3.ListBucketsAsync();
        Assert.Equal(["full"], buckets.Buckets.Select(b => b.BucketName));

        var deleted = await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = "full", Objects = [new KeyVersion { Key = "k" }, new KeyVersion { Key = "never" }] });
        Assert.Equal(2, deleted.DeletedObjects.Count);
        await s3.DeleteBucketAsync("full");
        Assert.Equal(["s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete"], t.Notifications.Select(n => n.EventName));
    }

    [Fact]
    public async Task PresignedUrlsWorkAndExpiredOrTamperedOnesAreRefused()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("pre");
        using var s3 = t.Client();
        string putUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "pre", Key = "p.txt", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        using var http = new HttpClient();
        using (var response = await http.PutAsync(putUrl, new StringContent("presigned", Encoding.UTF8)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        string getUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "pre", Key = "p.txt", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        Assert.Equal("presigned", await http.GetStringAsync(getUrl));
        using var tampered = await http.GetAsync(getUrl.Replace("p.txt", "q.txt", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", await tampered.Content.ReadAsStringAsync());
    }
}
