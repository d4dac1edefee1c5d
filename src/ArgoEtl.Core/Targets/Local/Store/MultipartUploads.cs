using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>A multipart upload in progress: where it will land and with what metadata.</summary>
internal sealed record MultipartUpload(string UploadId, string Bucket, string Key, DateTimeOffset Initiated, string ContentType,
    Dictionary<string, string> UserMetadata, Dictionary<string, string> Headers);

/// <summary>One uploaded part: its number, size and (unquoted) MD5 ETag.</summary>
internal sealed record UploadedPart(int PartNumber, long Size, string ETag, DateTimeOffset LastModified);

/// <summary>
/// Multipart uploads, each a folder in <c>store-uploads/</c> holding its description and its parts, outside the
/// bucket tree until completion assembles the parts in store-tmp/ and commits the whole as one object.
/// </summary>
internal sealed class MultipartUploads(ObjectFolders folders)
{
    private const long MinimumPartSize = 5L * 1024 * 1024;
    private static readonly JsonSerializerOptions Json = new();

    public MultipartUpload Create(string bucket, string key, string contentType, Dictionary<string, string> userMetadata, Dictionary<string, string> headers)
    {
        folders.RequireBucket(bucket);
        folders.ObjectPath(bucket, key);
        var upload = new MultipartUpload(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), bucket, key, DateTimeOffset.UtcNow, contentType, userMetadata, headers);
        string dir = Folder(upload.UploadId);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "upload.json"), JsonSerializer.SerializeToUtf8Bytes(upload, Json));
        return upload;
    }

    public MultipartUpload Get(string bucket, string key, string uploadId)
    {
        folders.RequireBucket(bucket);
        string file = Path.Combine(Folder(uploadId), "upload.json");
        MultipartUpload? upload = null;
        if (IsUploadId(uploadId) && File.Exists(file))
        {
            upload = JsonSerializer.Deserialize<MultipartUpload>(File.ReadAllBytes(file), Json);
        }

        return upload is not null && upload.Bucket == bucket && upload.Key == key ? upload : throw S3Errors.NoSuchUpload(uploadId);
    }

    public IEnumerable<MultipartUpload> InBucket(string bucket) =>
        Directory.EnumerateDirectories(folders.UploadsRoot)
            .Select(d => Path.Combine(d, "upload.json"))
            .Where(File.Exists)
            .Select(f => JsonSerializer.Deserialize<MultipartUpload>(File.ReadAllBytes(f), Json)!)
            .Where(u => u.Bucket == bucket)
            .OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated);

    /// <summary>Keeps a received part (a file in store-tmp/) as part <paramref name="partNumber"/>, replacing an earlier one.</summary>
    public UploadedPart AddPart(MultipartUpload upload, int partNumber, string tempFile, string md5Hex)
    {
        if (partNumber is < 1 or > 10000)
        {
            throw S3Errors.Create("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.");
        }

        string dir = Folder(upload.UploadId);
        string data = Path.Combine(dir, PartName(partNumber));
        var part = new UploadedPart(partNumber, new FileInfo(tempFile).Length, md5Hex, DateTimeOffset.UtcNow);
        File.WriteAllBytes(data + ".json", JsonSerializer.SerializeToUtf8Bytes(part, Json));
        File.Move(tempFile, data, overwrite: true);
        return part;
    }

    public List<UploadedPart> Parts(MultipartUpload upload) =>
        Directory.EnumerateFiles(Folder(upload.UploadId), "part-*.json")
            .Select(f => JsonSerializer.Deserialize<UploadedPart>(File.ReadAllBytes(f), Json)!)
            .OrderBy(p => p.PartNumber).ToList();

    /// <summary>
    /// Assembles the named parts, in order, into one file in store-tmp/ and returns it with S3's multipart ETag:
    /// the MD5 of the parts' binary MD5s, then "-" and the number of parts.
    /// </summary>
    public (string TempFile, string ETag) Assemble(MultipartUpload upload, IReadOnlyList<(int PartNumber, string ETag)> requested)
    {
        if (requested.Count == 0)
        {
            throw S3Errors.Create("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema: CompleteMultipartUpload needs at least one Part.");
        }

        var parts = Parts(upload).ToDictionary(p => p.PartNumber);
        for (int i = 0; i < requested.Count; i++)
        {
            var (number, eTag) = requested[i];
            if (i > 0 && number <= requested[i - 1].PartNumber)
            {
                throw S3Errors.Create("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
            }

            if (!parts.TryGetValue(number, out var part) || !string.Equals(part.ETag, eTag.Trim('"'), StringComparison.OrdinalIgnoreCase))
            {
                throw S3Errors.Create("InvalidPart", $"One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag (part {number.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (i < requested.Count - 1 && part.Size < MinimumPartSize)
            {
                throw S3Errors.Create("EntityTooSmall", $"Your proposed upload is smaller than the minimum allowed object size: part {number.ToString(CultureInfo.InvariantCulture)} is {part.Size.ToString(CultureInfo.InvariantCulture)} bytes; every part but the last must be at least 5 MiB.");
            }
        }

        string temp = folders.NewTempFile();
        using var md5s = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (var (number, _) in requested)
            {
                using var input = File.OpenRead(Path.Combine(Folder(upload.UploadId), PartName(number)));
                input.CopyTo(output);
                md5s.AppendData(Convert.FromHexString(parts[number].ETag));
            }
        }

        return (temp, Convert.ToHexStringLower(md5s.GetHashAndReset()) + "-" + requested.Count.ToString(CultureInfo.InvariantCulture));
    }

    public void Remove(MultipartUpload upload) => Directory.Delete(Folder(upload.UploadId), recursive: true);

    private static string PartName(int partNumber) => "part-" + partNumber.ToString("D5", CultureInfo.InvariantCulture);

    private static bool IsUploadId(string uploadId) => uploadId.Length == 32 && uploadId.All(char.IsAsciiHexDigitLower);

    private string Folder(string uploadId) =>
        IsUploadId(uploadId) ? Path.Combine(folders.UploadsRoot, uploadId) : throw S3Errors.NoSuchUpload(uploadId);
}
