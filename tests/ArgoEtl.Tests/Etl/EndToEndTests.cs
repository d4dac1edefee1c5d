using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ArgoEtl.Etl.Aws;
using ArgoEtl.Etl.Output;
using ArgoEtl.Etl.Storage;
using ArgoEtl.Etl.Transform;
using ArgoEtl.Testing;
using ArgoEtl.TestServers.Faults;
using ArgoEtl.Tests.Substrates;

namespace ArgoEtl.Tests.Etl;

/// <summary>The runner against a real S3-compatible server: read, convert, publish, and publish nothing on failure.</summary>
public sealed class S3EndToEndTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    private const string Csv = "no,name,score\n1,Kim,87\n2,\"Lee, J\",92\n3,Park,\n";

    private AwsConnection Settings => new() { EndpointUrl = new Uri(s3.Server.Endpoint), Region = "us-east-1" };

    private async Task<string> NewBucketAsync()
    {
        string bucket = "etl-" + Guid.NewGuid().ToString("N")[..10];
        await s3.Client.PutBucketAsync(bucket);
        return bucket;
    }

    private async Task PutAsync(string bucket, string key, string body) =>
        await s3.Client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body, UseChunkEncoding = false });

    private async Task<List<string>> KeysAsync(string bucket) =>
        ((await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects ?? []).Select(o => o.Key).Order().ToList();

    [Fact]
    public async Task Converts_an_object_to_parquet_under_output_and_a_local_artifact()
    {
        string bucket = await NewBucketAsync();
        await PutAsync(bucket, "input/scores.csv", Csv);
        string local = Path.Combine(Path.GetTempPath(), $"argoetl-{Guid.NewGuid():N}", "output.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        using var runner = WithS3Credentials(() => new EtlRunner(Settings));

        var result = await runner.RunAsync(new EtlJob
        {
            Input = ObjectLocation.S3(bucket, "input/scores.csv"),
            LocalOutput = local,
            Transform = new TransformOptions { Format = OutputFormat.Parquet, Schema = TransformTestKit.Schema("no:int64,name:string,score:int32") },
        });

        Assert.Equal($"s3://{bucket}/output/scores.parquet", result.Output);
        Assert.Equal(3, result.Rows);
        Assert.Equal(Csv.Length, result.BytesIn);
        using var got = await s3.Client.GetObjectAsync(bucket, "output/scores.parquet");
        var copy = new MemoryStream();
        await got.ResponseStream.CopyToAsync(copy);
        Assert.Equal(result.BytesOut, copy.Length);
        Assert.Equal(await File.ReadAllBytesAsync(local), copy.ToArray());
        copy.Position = 0;
        var (columns, _, _) = await TransformTestKit.ReadParquetAsync(copy);
        Assert.Equal(new object?[] { "Kim", "Lee, J", "Park" }, columns["name"]);
        Assert.Equal(new object?[] { 87, 92, null }, columns["score"]);
        Directory.Delete(Path.GetDirectoryName(local)!, true);
    }

    [Fact]
    public async Task A_bad_row_uploads_nothing_and_leaves_no_local_file()
    {
        string bucket = await NewBucketAsync();
        await PutAsync(bucket, "input/bad.csv", "no,score\n1,10\n2,oops\n");
        string dir = Path.Combine(Path.GetTempPath(), $"argoetl-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        using var runner = WithS3Credentials(() => new EtlRunner(Settings));

        var ex = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(new EtlJob
        {
            Input = ObjectLocation.S3(bucket, "input/bad.csv"),
            LocalOutput = Path.Combine(dir, "output.json"),
            Transform = new TransformOptions { Schema = TransformTestKit.Schema("no:int32,score:int32") },
        }));

        Assert.Equal("CsvBadValue", ex.Code);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["input/bad.csv"], await KeysAsync(bucket));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
        Directory.Delete(dir);
    }

    [Fact]
    public async Task Skip_mode_uploads_output_and_rejects_object()
    {
        string bucket = await NewBucketAsync();
        await PutAsync(bucket, "input/mixed.csv", "no,score\n1,10\n2,oops\n3,30\n");
        using var runner = WithS3Credentials(() => new EtlRunner(Settings));

        var result = await runner.RunAsync(new EtlJob
        {
            Input = ObjectLocation.S3(bucket, "input/mixed.csv"),
            Transform = new TransformOptions { Schema = TransformTestKit.Schema("no:int32,score:int32"), BadRows = BadRowMode.Skip },
        });

        Assert.Equal((2L, 1L), (result.Rows, result.RejectedRows));
        Assert.Equal(["input/mixed.csv", "output/mixed.json", "output/mixed.json.rejects.ndjson"], await KeysAsync(bucket));
        using var rejects = await s3.Client.GetObjectAsync(bucket, "output/mixed.json.rejects.ndjson");
        string text = await new StreamReader(rejects.ResponseStream).ReadToEndAsync();
        Assert.Contains("\"line\":3", text, StringComparison.Ordinal);
        Assert.Contains("\"row\":\"2,oops\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_runs_publish_identical_bytes()
    {
        string bucket = await NewBucketAsync();
        await PutAsync(bucket, "input/scores.csv", Csv);
        using var runner = WithS3Credentials(() => new EtlRunner(Settings));
        var job = new EtlJob { Input = ObjectLocation.S3(bucket, "input/scores.csv"), Transform = new TransformOptions { Format = OutputFormat.Parquet } };

        await runner.RunAsync(job);
        byte[] first = await ReadAsync(bucket, "output/scores.parquet");
        await runner.RunAsync(job);
        Assert.Equal(first, await ReadAsync(bucket, "output/scores.parquet"));
    }

    [Fact]
    public async Task Missing_bucket_and_missing_key_are_named()
    {
        using var runner = WithS3Credentials(() => new EtlRunner(Settings));
        var noBucket = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(new EtlJob { Input = ObjectLocation.S3("no-such-bucket-x", "input/a.csv") }));
        Assert.Equal("S3BucketNotFound", noBucket.Code);
        Assert.Contains("no-such-bucket-x", noBucket.Message, StringComparison.Ordinal);

        string bucket = await NewBucketAsync();
        var noKey = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(new EtlJob { Input = ObjectLocation.S3(bucket, "input/nope.csv") }));
        Assert.Equal("S3ObjectNotFound", noKey.Code);
    }

    private async Task<byte[]> ReadAsync(string bucket, string key)
    {
        using var got = await s3.Client.GetObjectAsync(bucket, key);
        var buffer = new MemoryStream();
        await got.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    // s3rver accepts only its own access key; the runner takes credentials from the SDK's environment chain.
    [Fact]
    public async Task Transient_S3_errors_are_retried_and_the_run_succeeds()
    {
        string bucket = await NewBucketAsync();
        await PutAsync(bucket, "input/scores.csv", Csv);
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(s3.Server.Endpoint));
        proxy.FailNext(2);
        using var runner = WithS3Credentials(() => new EtlRunner(Settings with { EndpointUrl = proxy.Endpoint }));

        var result = await runner.RunAsync(new EtlJob { Input = ObjectLocation.S3(bucket, "input/scores.csv") });

        Assert.Equal(2, proxy.Injected);
        Assert.Equal(3, result.Rows);
        Assert.Equal(["input/scores.csv", "output/scores.json"], await KeysAsync(bucket));
    }

    [Fact]
    public async Task An_S3_store_that_keeps_failing_uploads_gives_a_clear_error_after_retrying_and_leaves_nothing()
    {
        string bucket = await NewBucketAsync();
        await PutAsync(bucket, "input/scores.csv", Csv);
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(s3.Server.Endpoint));
        proxy.Applies = r => r.Method == "PUT";
        proxy.FailNext(int.MaxValue);
        using var runner = WithS3Credentials(() => new EtlRunner(Settings with { EndpointUrl = proxy.Endpoint }));

        var ex = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(new EtlJob { Input = ObjectLocation.S3(bucket, "input/scores.csv") }));

        Assert.Equal("S3RequestFailed", ex.Code);
        Assert.Contains("SlowDown", ex.Message, StringComparison.Ordinal);
        Assert.True(proxy.Injected > 1, $"expected retries, saw {proxy.Injected} attempt(s)");
        Assert.Equal(["input/scores.csv"], await KeysAsync(bucket));
    }

    private static T WithS3Credentials<T>(Func<T> create)
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3rver.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3rver.SecretKey);
        return create();
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FtpEndToEndTests(VsftpdFixture ftp) : IClassFixture<VsftpdFixture>
{
    [Fact]
    public async Task Converts_a_file_named_by_an_ftp_event_and_publishes_back_over_ftp()
    {
        string name = $"scores-{Guid.NewGuid():N}.csv";
        await File.WriteAllTextAsync(Path.Combine(ftp.Server.RootDirectory, "upload", name), "no,name\n1,a\n2,b\n");
        string payload = Convert.ToBase64String(Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","size":16,"time":"2023-04-01T00:00:00Z"}"""));
        var input = Assert.Single(ArgoEtl.Etl.Events.EventPayload.Parse(payload, ftp.Server.Url + "/upload"));
        using var runner = new EtlRunner();

        var result = await runner.RunAsync(new EtlJob { Input = input, Transform = new TransformOptions { Format = OutputFormat.Json } });

        string expected = Path.Combine(ftp.Server.RootDirectory, "upload", Path.ChangeExtension(name, ".json"));
        Assert.Equal(2, result.Rows);
        Assert.Equal("{\"no\":1,\"name\":\"a\"}\n{\"no\":2,\"name\":\"b\"}\n", await File.ReadAllTextAsync(expected));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(ftp.Server.RootDirectory, "upload")), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_ftp_file_is_a_not_found_error()
    {
        using var runner = new EtlRunner();
        var ex = await Assert.ThrowsAsync<EtlException>(() => runner.RunAsync(new EtlJob { Input = ObjectLocation.Parse(ftp.Server.Url + "/upload/none.csv") }));
        Assert.Equal("FtpFileNotFound", ex.Code);
    }
}

/// <summary>FTP with a password: the container entrypoint takes the login from ARGOETL_FTP_USER / ARGOETL_FTP_PASSWORD.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FtpCredentialTests(VsftpdWithUserFixture ftp) : IClassFixture<VsftpdWithUserFixture>
{
    private static (int ExitCode, string Output) RunEtl(string input, IDictionary<string, string?> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ArgoEtl.Etl.dll"));
        start.ArgumentList.Add("--input");
        start.ArgumentList.Add(input);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    [Fact]
    public async Task The_entrypoint_logs_in_with_the_environment_credentials_and_never_prints_the_password()
    {
        string name = $"scores-{Guid.NewGuid():N}.csv";
        await File.WriteAllTextAsync(Path.Combine(ftp.Server.RootDirectory, "upload", name), "no,name\n1,a\n");
        string input = $"{ftp.Server.Url}/upload/{name}";

        var anonymous = RunEtl(input, new Dictionary<string, string?> { ["ARGOETL_FTP_USER"] = null, ["ARGOETL_FTP_PASSWORD"] = null });
        Assert.Equal(3, anonymous.ExitCode);
        Assert.Contains("ARGOETL_FTP_USER", anonymous.Output, StringComparison.Ordinal);

        var wrong = RunEtl(input, new Dictionary<string, string?> { ["ARGOETL_FTP_USER"] = ftp.Server.User, ["ARGOETL_FTP_PASSWORD"] = "not-" + ftp.Server.Password });
        Assert.Equal(3, wrong.ExitCode);
        Assert.DoesNotContain(ftp.Server.Password!, wrong.Output, StringComparison.Ordinal);

        var ok = RunEtl(input, new Dictionary<string, string?> { ["ARGOETL_FTP_USER"] = ftp.Server.User, ["ARGOETL_FTP_PASSWORD"] = ftp.Server.Password });
        Assert.True(ok.ExitCode == 0, ok.Output);
        Assert.DoesNotContain(ftp.Server.Password!, ok.Output, StringComparison.Ordinal);
        Assert.Equal("{\"no\":1,\"name\":\"a\"}\n", await File.ReadAllTextAsync(Path.Combine(ftp.Server.RootDirectory, "upload", Path.ChangeExtension(name, ".json"))));
    }
}
