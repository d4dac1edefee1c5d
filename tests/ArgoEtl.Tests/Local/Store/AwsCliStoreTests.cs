using System.Diagnostics;
using System.Security.Cryptography;

// S3 ETags are MD5s: the tests compute them to check the store's.
#pragma warning disable CA5351

namespace ArgoEtl.Tests.Local.Store;

/// <summary>The Debian AWS CLI v2 against the local object store: what users and Argo steps run.</summary>
public sealed class AwsCliStoreTests
{
    [Fact]
    public async Task CliCopiesListsHeadsCopiesAndRemovesRecursively()
    {
        await using var t = await StoreUnderTest.StartAsync();
        string work = Path.Combine(t.StateDirectory, "cli");
        Directory.CreateDirectory(work);
        string small = Path.Combine(work, "scores.csv");
        await File.WriteAllTextAsync(small, "name,score\nada,3\n");

        t.Store.EnsureBucket("data");
        await AwsAsync(t, work, "s3", "cp", small, "s3://data/in/scores.csv");
        Assert.Equal("name,score\nada,3\n", await File.ReadAllTextAsync(Path.Combine(t.StateDirectory, "buckets", "data", "in", "scores.csv")));

        string head = (await AwsAsync(t, work, "s3api", "head-object", "--bucket", "data", "--key", "in/scores.csv")).Stdout;
        Assert.Contains("\"ContentLength\": 17", head);
        Assert.Contains(Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(small))), head);
        Assert.Contains("text/csv", head);

        await AwsAsync(t, work, "s3", "cp", "s3://data/in/scores.csv", "s3://data/copy/scores.csv");
        await AwsAsync(t, work, "s3", "cp", "s3://data/copy/scores.csv", Path.Combine(work, "back.csv"));
        Assert.Equal("name,score\nada,3\n", await File.ReadAllTextAsync(Path.Combine(work, "back.csv")));

        string listing = (await AwsAsync(t, work, "s3", "ls", "s3://data/")).Stdout;
        Assert.Contains("PRE in/", listing);
        Assert.Contains("PRE copy/", listing);

        string removed = (await AwsAsync(t, work, "s3", "rm", "--recursive", "s3://data/")).Stdout;
        Assert.Contains("delete: s3://data/in/scores.csv", removed);
        Assert.Contains("delete: s3://data/copy/scores.csv", removed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(t.StateDirectory, "buckets", "data")));

        var names = t.Notifications.Select(n => $"{n.EventName} {n.Bucket}/{n.Key}").ToList();
        Assert.Equal(
        [
            "s3:ObjectCreated:Put data/in/scores.csv",
            "s3:ObjectCreated:Copy data/copy/scores.csv",
        ], names.Take(2));
        Assert.Equal(2, names.Count(n => n.StartsWith("s3:ObjectRemoved:Delete", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CliMultipartUploadOfTwentyMegabytesAndFromStdinWithExpectedSize()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("big");
        string work = Path.Combine(t.StateDirectory, "cli");
        Directory.CreateDirectory(work);
        string file = Path.Combine(work, "twenty.bin");
        byte[] data = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        await File.WriteAllBytesAsync(file, data);

        await AwsAsync(t, work, "s3", "cp", file, "s3://big/twenty.bin");
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(t.StateDirectory, "buckets", "big", "twenty.bin")));
        var created = Assert.Single(t.Notifications);
        Assert.Equal("s3:ObjectCreated:CompleteMultipartUpload", created.EventName);
        Assert.Equal(data.Length, created.Size);
        Assert.EndsWith("-4", created.ETag, StringComparison.Ordinal); // 5 MiB parts (multipart_chunksize in the config)

        // A stream of unknown length: the CLI reads stdin in parts sized from --expected-size.
        var result = await AwsAsync(t, work, ["s3", "cp", "-", "s3://big/piped.bin", "--expected-size", data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)], stdin: data);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(t.StateDirectory, "buckets", "big", "piped.bin")));

        using var s3 = t.Client();
        Assert.EndsWith("-4\"", (await s3.GetObjectMetadataAsync("big", "twenty.bin")).ETag, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(t.StateDirectory, "store-uploads")));
    }

    [Fact]
    public async Task CliWithWrongSecretIsRefused()
    {
        await using var t = await StoreUnderTest.StartAsync();
        t.Store.EnsureBucket("data");
        string work = Path.Combine(t.StateDirectory, "cli");
        Directory.CreateDirectory(work);
        var result = await AwsAsync(t, work, ["s3api", "list-objects-v2", "--bucket", "data"], secret: ArgoEtl.Core.Targets.Local.Store.ObjectStoreCredentials.Generate().SecretAccessKey, check: false);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SignatureDoesNotMatch", result.Stderr);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> AwsAsync(StoreUnderTest t, string work, params string[] args) =>
        AwsAsync(t, work, args, null);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> AwsAsync(StoreUnderTest t, string work, string[] args,
        byte[]? stdin = null, string? secret = null, bool check = true)
    {
        string config = Path.Combine(work, "config");
        await File.WriteAllTextAsync(config, "[default]\nregion = us-east-1\ns3 =\n  multipart_threshold = 8MB\n  multipart_chunksize = 5MB\n  addressing_style = path\n");
        var start = new ProcessStartInfo(ArgoEtl.Testing.Substrates.AwsCli())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = work,
        };
        // The Debian CLI (2.9) predates AWS_ENDPOINT_URL, so the endpoint is also given as an option.
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(t.Store.Endpoint.ToString());
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_CONFIG_FILE"] = config;
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(work, "no-credentials");
        foreach (var (name, value) in t.Store.ClientEnvironment())
        {
            start.Environment[name] = value;
        }

        if (secret is not null)
        {
            start.Environment["AWS_SECRET_ACCESS_KEY"] = secret;
        }
        start.Environment["AWS_PAGER"] = string.Empty;
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        var result = (process.ExitCode, await stdout, await stderr);
        if (check && process.ExitCode != 0)
        {
            Assert.Fail($"aws {string.Join(' ', args)} exited {process.ExitCode}:\n{result.Item2}\n{result.Item3}");
        }

        return result;
    }
}
