using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.StaticFiles;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>The size and write time of a file, to tell whether it changed since the store last saw it.</summary>
internal readonly record struct FileStamp(long Size, long LastWriteTicks)
{
    public static FileStamp Of(FileInfo file) => new(file.Length, file.LastWriteTimeUtc.Ticks);
}

/// <summary>
/// The store's layout on disk. Objects are plain files at <c>buckets/&lt;bucket&gt;/&lt;key&gt;</c> so users can look at
/// them and drop files in; everything else lives beside <c>buckets/</c>: metadata sidecars in <c>store-meta/</c>
/// (named by a hash of the key, so no key can collide with another's sidecar), bodies being received in
/// <c>store-tmp/</c>, multipart uploads in <c>store-uploads/</c>. An object becomes visible only by a rename from
/// <c>store-tmp/</c>, so a reader sees the old bytes or the new ones, never part of them.
/// </summary>
internal sealed class ObjectFolders
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly object _commitGate = new();

    public ObjectFolders(string stateDirectory)
    {
        StateDirectory = Path.GetFullPath(stateDirectory);
        BucketsRoot = Path.Combine(StateDirectory, "buckets");
        MetaRoot = Path.Combine(StateDirectory, "store-meta");
        TempRoot = Path.Combine(StateDirectory, "store-tmp");
        UploadsRoot = Path.Combine(StateDirectory, "store-uploads");
        foreach (string dir in new[] { BucketsRoot, MetaRoot, TempRoot, UploadsRoot })
        {
            Directory.CreateDirectory(dir);
        }

        // Bodies left by a crash mid-upload were never visible; they are only clutter now.
        foreach (string stale in Directory.EnumerateFiles(TempRoot))
        {
            TryDelete(stale);
        }
    }

    public string StateDirectory { get; }

    public string BucketsRoot { get; }

    public string MetaRoot { get; }

    public string TempRoot { get; }

    public string UploadsRoot { get; }

    /// <summary>What the store last saw of each object file (full path), so the watcher can tell a hand-made change from its own writes.</summary>
    public ConcurrentDictionary<string, FileStamp> KnownFiles { get; } = new(StringComparer.Ordinal);

    public static void ValidateBucketName(string bucket)
    {
        bool valid = bucket.Length is >= 3 and <= 63
            && bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
            && char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1])
            && !bucket.Contains("..", StringComparison.Ordinal);
        if (!valid)
        {
            throw S3Errors.Create("InvalidBucketName", $"The specified bucket is not valid: '{bucket}'. Bucket names are 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.", "/" + bucket);
        }
    }

    /// <summary>The file an object key maps to. Keys that cannot be a file path (empty or '.'/'..' segments, a trailing '/') are refused.</summary>
    public string ObjectPath(string bucket, string key)
    {
        if (key.Length == 0 || Encoding.UTF8.GetByteCount(key) > 1024)
        {
            throw S3Errors.Create("KeyTooLongError", "Object keys must be 1 to 1024 bytes long.", $"/{bucket}/{key}");
        }

        var segments = key.Split('/');
        if (segments.Any(s => s is "" or "." or ".." || Encoding.UTF8.GetByteCount(s) > 255) || key.Contains('\0', StringComparison.Ordinal))
        {
            throw S3Errors.Create("InvalidArgument",
                $"The key '{key}' cannot be stored: the local store keeps each object as a file at buckets/<bucket>/<key>, so a key must not have empty, '.' or '..' segments, a trailing '/', or a segment longer than 255 bytes.",
                $"/{bucket}/{key}");
        }

        return Path.Combine([BucketPath(bucket), .. segments]);
    }

    public string BucketPath(string bucket) => Path.Combine(BucketsRoot, bucket);

    public bool BucketExists(string bucket) => Directory.Exists(BucketPath(bucket));

    public void RequireBucket(string bucket)
    {
        if (!BucketExists(bucket))
        {
            throw S3Errors.NoSuchBucket(bucket);
        }
    }

    /// <summary>Creates the bucket's folder; false when it already existed.</summary>
    public bool CreateBucket(string bucket)
    {
        ValidateBucketName(bucket);
        if (BucketExists(bucket))
        {
            return false;
        }

        Directory.CreateDirectory(BucketPath(bucket));
        return true;
    }

    public void DeleteBucket(string bucket)
    {
        RequireBucket(bucket);
        string path = BucketPath(bucket);
        if (Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw S3Errors.Create("BucketNotEmpty", "The bucket you tried to delete is not empty.", "/" + bucket);
        }

        Directory.Delete(path);
        string meta = Path.Combine(MetaRoot, bucket);
        if (Directory.Exists(meta))
        {
            Directory.Delete(meta, recursive: true);
        }
    }

    public IEnumerable<(string Name, DateTimeOffset Created)> Buckets() =>
        new DirectoryInfo(BucketsRoot).EnumerateDirectories()
            .Where(d => IsBucketName(d.Name))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => (d.Name, new DateTimeOffset(d.CreationTimeUtc, TimeSpan.Zero)));

    /// <summary>Every key in the bucket, in S3's order (by UTF-8 bytes, which ordinal order of the strings matches for BMP text).</summary>
    public List<string> Keys(string bucket)
    {
        string root = BucketPath(bucket);
        var keys = new List<string>();
        foreach (string file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            keys.Add(Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'));
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>The object, or null when there is no file for the key.</summary>
    public StoredObject? Find(string bucket, string key)
    {
        string path;
        try
        {
            path = ObjectPath(bucket, key);
        }
        catch (EtlException)
        {
            return null; // A key no file can have names no object.
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        var sidecar = ReadSidecar(bucket, key);
        var stamp = FileStamp.Of(file);
        if (sidecar is null || sidecar.Size != stamp.Size || sidecar.LastWriteTicks != stamp.LastWriteTicks)
        {
            // Put there or changed by hand: describe it from the file and remember that for next time.
            sidecar = DescribeFile(key, file, sidecar);
            WriteSidecar(bucket, sidecar);
        }

        return ToObject(bucket, path, file, sidecar);
    }

    public StoredObject Get(string bucket, string key)
    {
        RequireBucket(bucket);
        return Find(bucket, key) ?? throw S3Errors.NoSuchKey(bucket, key);
    }

    /// <summary>A new file in store-tmp/ for a body being received (same file system as the buckets, so the final rename is atomic).</summary>
    public string NewTempFile() => Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Makes <paramref name="tempFile"/> the object: its sidecar first, then the rename that makes it visible. The
    /// file is recorded as known before it appears, so the watcher never takes the store's own write for a dropped file.
    /// </summary>
    public StoredObject Commit(string bucket, string key, string tempFile, string eTag, string contentType,
        Dictionary<string, string> userMetadata, Dictionary<string, string> headers)
    {
        string path = ObjectPath(bucket, key);
        lock (_commitGate)
        {
            RequireBucket(bucket);
            string? parent = Path.GetDirectoryName(path);
            try
            {
                Directory.CreateDirectory(parent!);
            }
            catch (IOException)
            {
                throw KeyConflict(bucket, key);
            }

            if (Directory.Exists(path))
            {
                throw KeyConflict(bucket, key);
            }

            var file = new FileInfo(tempFile);
            var stamp = FileStamp.Of(file);
            var sidecar = new ObjectSidecar(key, stamp.Size, stamp.LastWriteTicks, eTag, contentType, userMetadata, headers);
            WriteSidecar(bucket, sidecar);
            KnownFiles[path] = stamp;
            File.Move(tempFile, path, overwrite: true);
            return ToObject(bucket, path, new FileInfo(path), sidecar);
        }
    }

    /// <summary>Removes the object (and folders it leaves empty); false when there was none.</summary>
    public bool Delete(string bucket, string key)
    {
        string path = ObjectPath(bucket, key);
        lock (_commitGate)
        {
            RequireBucket(bucket);
            KnownFiles.TryRemove(path, out _);
            bool existed = File.Exists(path);
            if (existed)
            {
                File.Delete(path);
                RemoveEmptyFolders(Path.GetDirectoryName(path)!, BucketPath(bucket));
            }

            TryDelete(SidecarPath(bucket, key));
            return existed;
        }
    }

    /// <summary>Records a file put into a bucket folder by hand as an object: hashes it and writes its sidecar.</summary>
    public StoredObject? Adopt(string bucket, string key)
    {
        string path = ObjectPath(bucket, key);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        var sidecar = DescribeFile(key, file, ReadSidecar(bucket, key));
        WriteSidecar(bucket, sidecar);
        KnownFiles[path] = new FileStamp(sidecar.Size, sidecar.LastWriteTicks);
        return ToObject(bucket, path, file, sidecar);
    }

    public void ForgetSidecar(string bucket, string key) => TryDelete(SidecarPath(bucket, key));

    /// <summary>The (bucket, key) of a file under buckets/, or null when the path is not an object's.</summary>
    public (string Bucket, string Key)? ObjectOf(string fullPath)
    {
        string relative = Path.GetRelativePath(BucketsRoot, fullPath);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return null;
        }

        var parts = relative.Split(Path.DirectorySeparatorChar, 2);
        return parts.Length == 2 && IsBucketName(parts[0]) ? (parts[0], parts[1].Replace(Path.DirectorySeparatorChar, '/')) : null;
    }

    public static string GuessContentType(string key) =>
        ContentTypes.TryGetContentType(key, out string? type) ? type : "application/octet-stream";

    public static string Md5Hex(string path)
    {
        using var stream = File.OpenRead(path);
#pragma warning disable CA5351 // S3's ETag of a single-part object is its MD5 by protocol; it is not used for security.
        return Convert.ToHexStringLower(MD5.HashData(stream));
#pragma warning restore CA5351
    }

    private static bool IsBucketName(string name)
    {
        try
        {
            ValidateBucketName(name);
            return true;
        }
        catch (EtlException)
        {
            return false;
        }
    }

    private static EtlException KeyConflict(string bucket, string key) =>
        S3Errors.Create("InvalidArgument",
            $"The key '{key}' cannot be stored: on disk a folder and a file cannot share a name, and another object's key is a prefix of this one (or this key is a prefix of another's).",
            $"/{bucket}/{key}");

    private static ObjectSidecar DescribeFile(string key, FileInfo file, ObjectSidecar? previous)
    {
        var stamp = FileStamp.Of(file);
        return new ObjectSidecar(key, stamp.Size, stamp.LastWriteTicks, Md5Hex(file.FullName),
            GuessContentType(key), previous?.UserMetadata ?? [], previous?.Headers ?? []);
    }

    private static StoredObject ToObject(string bucket, string path, FileInfo file, ObjectSidecar sidecar) =>
        new(bucket, sidecar.Key, path, sidecar.Size, new DateTimeOffset(new DateTime(sidecar.LastWriteTicks, DateTimeKind.Utc)),
            sidecar.ETag, sidecar.ContentType, sidecar.UserMetadata, sidecar.Headers);

    private string SidecarPath(string bucket, string key) =>
        Path.Combine(MetaRoot, bucket, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..40] + ".json");

    private ObjectSidecar? ReadSidecar(string bucket, string key)
    {
        string path = SidecarPath(bucket, key);
        try
        {
            var sidecar = JsonSerializer.Deserialize<ObjectSidecar>(File.ReadAllBytes(path), Json);
            return sidecar is not null && sidecar.Key == key ? sidecar : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            // No sidecar (a dropped file) or an unreadable one: the object is described from its file instead.
            return null;
        }
    }

    private void WriteSidecar(string bucket, ObjectSidecar sidecar)
    {
        string path = SidecarPath(bucket, sidecar.Key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = NewTempFile();
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(sidecar, Json));
        File.Move(temp, path, overwrite: true);
    }

    private static void RemoveEmptyFolders(string folder, string stopAt)
    {
        while (folder.Length > stopAt.Length && folder.StartsWith(stopAt, StringComparison.Ordinal))
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    return;
                }

                Directory.Delete(folder);
            }
            catch (IOException)
            {
                return; // Someone put something there meanwhile: the folder stays.
            }

            folder = Path.GetDirectoryName(folder)!;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file or sidecar is harmless (a sidecar is checked against its file).
        }
    }
}
