using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;

// S3 ETags are MD5s: the tests compute them to check the store's.
#pragma warning disable CA5351

namespace ArgoEtl.Tests.Local.Store;

/// <summary>Notifications for files dropped into the bucket folders by hand, and visibility of objects being written.</summary>
public sealed class ObjectStoreEventTests
{
    [Fact]
    public async Task DroppedFileCountsAsOnePutOnceStableAndFilesPresentAtStartDoNot()
    {
        await using var t = await StoreUnderTest.StartAsync(state =>
        {
            Directory.CreateDirectory(Path.Combine(state, "buckets", "input", "old"));
            File.WriteAllText(Path.Combine(state, "buckets", "input", "old", "before.csv"), "was here");
        }, stabilityWindow: TimeSpan.FromMilliseconds(1500));
        string target = Path.Combine(t.StateDirectory, "buckets", "input", "new", "scores.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // Written in two halves with a pause shorter than the stability window: one event, for the whole file.
        await using (var stream = new FileStream(target, FileMode.CreateNew))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("name,score\n"));
            await stream.FlushAsync();
            await Task.Delay(150);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("ada,3\n"));
        }

        Assert.True(await StoreUnderTest.EventuallyAsync(() => !t.Notifications.IsEmpty));
        var put = Assert.Single(t.Notifications);
        Assert.Equal(("s3:ObjectCreated:Put", "input", "new/scores.csv", 17L), (put.EventName, put.Bucket, put.Key, put.Size));
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(target))), put.ETag);
        Assert.Equal("text/csv", put.ContentType);

        // Readable through the API with the same ETag; still one event after more scans have run.
        using var s3 = t.Client();
        var head = await s3.GetObjectMetadataAsync("input", "new/scores.csv");
        Assert.Equal($"\"{put.ETag}\"", head.ETag);
        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "input" });
        Assert.Equal(["new/scores.csv", "old/before.csv"], listed.S3Objects.Select(o => o.Key));
        await Task.Delay(2000);
        Assert.Single(t.Notifications);

        // A put through the API is one event, not also a dropped file.
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "input", Key = "api.csv", ContentBody = "a\n" });
        await Task.Delay(2000);
        Assert.Equal(["s3:ObjectCreated:Put input/new/scores.csv", "s3:ObjectCreated:Put input/api.csv"],
            t.Notifications.Select(n => $"{n.EventName} {n.Bucket}/{n.Key}"));

        // Removed by hand: a delete event.
        File.Delete(target);
        Assert.True(await StoreUnderTest.EventuallyAsync(() => t.Notifications.Count == 3));
        Assert.Equal(("s3:ObjectRemoved:Delete", "new/scores.csv"), (t.Notifications.Last().EventName, t.Notifications.Last().Key));
    }

    [Fact]
    public async Task AnObjectBeingUploadedIsNeverVisibleUntilComplete()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("vis");
        using var s3 = t.Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "vis", Key = "old.bin", ContentBody = "old content" });

        byte[] first = RandomNumberGenerator.GetBytes(256 * 1024), second = RandomNumberGenerator.GetBytes(256 * 1024);
        var release = new TaskCompletionSource();
        using var http = new HttpClient();
        async Task<HttpStatusCode> PutSlowlyAsync(string key)
        {
            string url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = "vis", Key = key, Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
            using var content = new PausingContent(first, second, release.Task);
            using var response = await http.PutAsync(url, content);
            return response.StatusCode;
        }

        var newPut = PutSlowlyAsync("new.bin");
        var overwrite = PutSlowlyAsync("old.bin");
        string temp = Path.Combine(t.StateDirectory, "store-tmp");
        Assert.True(await StoreUnderTest.EventuallyAsync(() => Directory.GetFiles(temp).Count(f => new FileInfo(f).Length >= first.Length / 2) == 2));

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync("vis", "new.bin"));
        Assert.Equal("NoSuchKey", missing.ErrorCode);
        using (var old = await s3.GetObjectAsync("vis", "old.bin"))
        {
            Assert.Equal("old content", await new StreamReader(old.ResponseStream).ReadToEndAsync());
        }

        Assert.False(File.Exists(Path.Combine(t.StateDirectory, "buckets", "vis", "new.bin")));
        Assert.Single(t.Notifications);

        release.SetResult();
        Assert.Equal(HttpStatusCode.OK, await newPut);
        Assert.Equal(HttpStatusCode.OK, await overwrite);
        byte[] whole = [.. first, .. second];
        using var got = await s3.GetObjectAsync("vis", "new.bin");
        using var buffer = new MemoryStream();
        await got.ResponseStream.CopyToAsync(buffer);
        Assert.Equal(whole, buffer.ToArray());
        Assert.Equal(whole, await File.ReadAllBytesAsync(Path.Combine(t.StateDirectory, "buckets", "vis", "old.bin")));
        Assert.Equal(3, t.Notifications.Count);
        Assert.Empty(Directory.GetFiles(temp));
    }

    /// <summary>A body sent in two halves, the second only once <paramref name="release"/> completes.</summary>
    private sealed class PausingContent(byte[] first, byte[] second, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await release;
            await stream.WriteAsync(second);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = first.Length + second.Length;
            return true;
        }
    }
}
