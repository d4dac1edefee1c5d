using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// Serves the S3 REST API over <see cref="ObjectFolders"/>: authenticates each request (SigV4), routes it by method,
/// bucket, key and sub-resource, and answers with S3's XML, headers and error codes. Path-style addressing, and
/// virtual-host style for <c>&lt;bucket&gt;.localhost</c>.
/// </summary>
internal sealed class S3RequestHandler(ObjectFolders folders, MultipartUploads uploads, ObjectStoreCredentials credentials, string region,
    Action<ObjectStoreNotification> notify)
{
    private const string OwnerId = "argoetl-local";
    private static readonly HashSet<string> BucketSubresources = new(StringComparer.Ordinal)
    {
        "acl", "policy", "policyStatus", "cors", "lifecycle", "tagging", "notification", "replication", "website", "logging",
        "encryption", "object-lock", "ownershipControls", "publicAccessBlock", "accelerate", "requestPayment", "analytics",
        "inventory", "metrics", "intelligent-tiering", "versions", "events",
    };

    private static readonly string[] KeptHeaders = ["Content-Encoding", "Content-Disposition", "Content-Language", "Cache-Control", "Expires"];

    public async Task HandleAsync(HttpContext context)
    {
        string requestId = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        context.Response.Headers["x-amz-request-id"] = requestId;
        string resource = context.Request.Path.Value ?? "/";
        try
        {
            var request = S3Request.From(context);
            resource = request.Key is null ? "/" + request.Bucket : $"/{request.Bucket}/{request.Key}";
            var auth = SigV4RequestVerifier.Verify(
                new SignedRequestParts(context.Request.Method, request.RawPath, request.RawQuery, name => Header(context, name)),
                credentials, DateTimeOffset.UtcNow);
            await RouteAsync(context, request, auth).ConfigureAwait(false);
        }
        catch (EtlException ex)
        {
            await WriteErrorAsync(context, ex.Code, ex.Message, ex.Target as string ?? resource, requestId).ConfigureAwait(false);
        }
        catch (XmlException)
        {
            await WriteErrorAsync(context, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", resource, requestId).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            await WriteErrorAsync(context, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", resource, requestId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && !context.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(context, "InternalError", "The local store could not read or write its folder: " + ex.Message, resource, requestId).ConfigureAwait(false);
        }
    }

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(',', values.ToArray()) : null;

    private async Task RouteAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        string method = context.Request.Method;
        if (r.Bucket.Length == 0)
        {
            if (method is "GET")
            {
                await ListBucketsAsync(context).ConfigureAwait(false);
                return;
            }

            throw S3Errors.Create("MethodNotAllowed", "The specified method is not allowed against this resource.");
        }

        if (r.Key is null)
        {
            switch (method)
            {
                case "PUT" when r.Query.Count == 0:
                    await DrainAsync(context, auth).ConfigureAwait(false);
                    if (!folders.CreateBucket(r.Bucket))
                    {
                        throw S3Errors.Create("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", "/" + r.Bucket);
                    }

                    context.Response.Headers.Location = "/" + r.Bucket;
                    return;
                case "HEAD":
                    folders.RequireBucket(r.Bucket);
                    context.Response.Headers["x-amz-bucket-region"] = region;
                    return;
                case "DELETE" when r.Query.Count == 0:
                    folders.DeleteBucket(r.Bucket);
                    context.Response.StatusCode = 204;
                    return;
                case "GET" when r.Has("location"):
                    folders.RequireBucket(r.Bucket);
                    await WriteXmlAsync(context, S3Xml.E("LocationConstraint", region == "us-east-1" ? null : region)).ConfigureAwait(false);
                    return;
                case "GET" when r.Has("versioning"):
                    folders.RequireBucket(r.Bucket);
                    await WriteXmlAsync(context, S3Xml.E("VersioningConfiguration")).ConfigureAwait(false);
                    return;
                case "GET" when r.Has("uploads"):
                    await ListUploadsAsync(context, r).ConfigureAwait(false);
                    return;
                // Listing parameters vary by client (minio-go adds metadata=true, SDKs x-id): anything that is not a
                // bucket sub-resource is a listing.
                case "GET" when !r.Query.Keys.Any(BucketSubresources.Contains):
                    await ListObjectsAsync(context, r).ConfigureAwait(false);
                    return;
                case "POST" when r.Has("delete"):
                    await DeleteObjectsAsync(context, r, auth).ConfigureAwait(false);
                    return;
                default:
                    throw S3Errors.Create("NotImplemented", $"The local store does not implement {method} on a bucket with ?{string.Join('&', r.Query.Keys)}.");
            }
        }

        switch (method)
        {
            case "PUT" when r.Has("partNumber") && r.Has("uploadId"):
                if (Header(context, "x-amz-copy-source") is not null)
                {
                    throw S3Errors.Create("NotImplemented", "The local store does not implement UploadPartCopy; upload the part's bytes instead.");
                }

                await UploadPartAsync(context, r, auth).ConfigureAwait(false);
                return;
            case "PUT" when Header(context, "x-amz-copy-source") is not null:
                await CopyObjectAsync(context, r, auth).ConfigureAwait(false);
                return;
            case "PUT" when r.Query.Count == 0:
                await PutObjectAsync(context, r, auth).ConfigureAwait(false);
                return;
            case "GET" when r.Has("uploadId"):
                await ListPartsAsync(context, r).ConfigureAwait(false);
                return;
            case "GET" or "HEAD" when r.Query.Keys.All(k => k.StartsWith("response-", StringComparison.Ordinal) || k is "partNumber" or "versionId"):
                await GetObjectAsync(context, r, method == "HEAD").ConfigureAwait(false);
                return;
            case "DELETE" when r.Has("uploadId"):
                uploads.Remove(uploads.Get(r.Bucket, r.Key, r.Query["uploadId"]));
                context.Response.StatusCode = 204;
                return;
            case "DELETE":
                DeleteObject(r.Bucket, r.Key);
                context.Response.StatusCode = 204;
                return;
            case "POST" when r.Has("uploads"):
                await CreateMultipartAsync(context, r, auth).ConfigureAwait(false);
                return;
            case "POST" when r.Has("uploadId"):
                await CompleteMultipartAsync(context, r, auth).ConfigureAwait(false);
                return;
            default:
                throw S3Errors.Create("NotImplemented", $"The local store does not implement {method} on an object with ?{string.Join('&', r.Query.Keys)}.");
        }
    }

    private async Task ListBucketsAsync(HttpContext context)
    {
        await WriteXmlAsync(context, S3Xml.E("ListAllMyBucketsResult",
            Owner(),
            S3Xml.E("Buckets", folders.Buckets().Select(b => S3Xml.E("Bucket", S3Xml.E("Name", b.Name), S3Xml.E("CreationDate", S3Xml.Date(b.Created))))))).ConfigureAwait(false);
    }

    private async Task PutObjectAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        folders.RequireBucket(r.Bucket);
        folders.ObjectPath(r.Bucket, r.Key!);
        var body = await ReceiveBodyAsync(context, auth).ConfigureAwait(false);
        try
        {
            var stored = folders.Commit(r.Bucket, r.Key!, body.TempFile, body.Md5Hex, ContentTypeOf(context), UserMetadataOf(context), KeptHeadersOf(context));
            body.Committed = true;
            context.Response.Headers.ETag = Quote(stored.ETag);
            foreach (var (name, value) in body.Checksums)
            {
                context.Response.Headers[name] = value;
            }

            notify(Notification("s3:ObjectCreated:Put", stored));
        }
        finally
        {
            body.Discard();
        }
    }

    private async Task CopyObjectAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        await DrainAsync(context, auth).ConfigureAwait(false);
        string source = Uri.UnescapeDataString(Header(context, "x-amz-copy-source")!);
        int q = source.IndexOf('?', StringComparison.Ordinal);
        source = (q < 0 ? source : source[..q]).TrimStart('/');
        int slash = source.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == source.Length - 1)
        {
            throw S3Errors.Create("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey.");
        }

        string sourceBucket = source[..slash], sourceKey = source[(slash + 1)..];
        folders.RequireBucket(r.Bucket);
        var original = folders.Get(sourceBucket, sourceKey);
        bool replace = string.Equals(Header(context, "x-amz-metadata-directive"), "REPLACE", StringComparison.OrdinalIgnoreCase);
        if (!replace && sourceBucket == r.Bucket && sourceKey == r.Key)
        {
            throw S3Errors.Create("InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        string temp = folders.NewTempFile();
        try
        {
            File.Copy(original.Path, temp);
            var stored = replace
                ? folders.Commit(r.Bucket, r.Key!, temp, original.ETag, ContentTypeOf(context), UserMetadataOf(context), KeptHeadersOf(context))
                : folders.Commit(r.Bucket, r.Key!, temp, original.ETag, original.ContentType, new(original.UserMetadata), new(original.Headers));
            // Raised before the answer is sent, so a client that sees success can count on the event having been raised.
            notify(Notification("s3:ObjectCreated:Copy", stored));
            await WriteXmlAsync(context, S3Xml.E("CopyObjectResult", S3Xml.E("LastModified", S3Xml.Date(stored.LastModified)), S3Xml.E("ETag", Quote(stored.ETag)))).ConfigureAwait(false);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private async Task GetObjectAsync(HttpContext context, S3Request r, bool headOnly)
    {
        var obj = folders.Get(r.Bucket, r.Key!);
        var response = context.Response;
        string eTag = Quote(obj.ETag);
        if (Header(context, "If-Match") is { } ifMatch && !ETagMatches(ifMatch, eTag))
        {
            throw S3Errors.Create("PreconditionFailed", "At least one of the pre-conditions you specified did not hold (If-Match).");
        }

        if (Header(context, "If-None-Match") is { } ifNoneMatch && ETagMatches(ifNoneMatch, eTag))
        {
            response.StatusCode = 304;
            response.Headers.ETag = eTag;
            return;
        }

        response.Headers.ETag = eTag;
        response.Headers.LastModified = obj.LastModified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = r.Query.GetValueOrDefault("response-content-type") ?? obj.ContentType;
        foreach (var (name, value) in obj.Headers)
        {
            response.Headers[name] = value;
        }

        foreach (var (name, header) in new[] { ("response-content-disposition", "Content-Disposition"), ("response-content-encoding", "Content-Encoding"), ("response-cache-control", "Cache-Control"), ("response-content-language", "Content-Language"), ("response-expires", "Expires") })
        {
            if (r.Query.TryGetValue(name, out string? value))
            {
                response.Headers[header] = value;
            }
        }

        foreach (var (name, value) in obj.UserMetadata)
        {
            response.Headers["x-amz-meta-" + name] = value;
        }

        long start = 0, length = obj.Size;
        if (Header(context, "Range") is { } range && ParseRange(range, obj.Size) is { } parsed)
        {
            (start, length) = parsed;
            response.StatusCode = 206;
            response.Headers.ContentRange = $"bytes {start.ToString(CultureInfo.InvariantCulture)}-{(start + length - 1).ToString(CultureInfo.InvariantCulture)}/{obj.Size.ToString(CultureInfo.InvariantCulture)}";
        }

        response.ContentLength = length;
        if (headOnly || length == 0)
        {
            return;
        }

        // Opened before the first byte is sent: a rename replacing the object meanwhile leaves this reader on the old file.
        var stream = new FileStream(obj.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            stream.Seek(start, SeekOrigin.Begin);
            await CopyRangeAsync(stream, response.Body, length, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private void DeleteObject(string bucket, string key)
    {
        var before = folders.Find(bucket, key);
        folders.RequireBucket(bucket);
        if (folders.Delete(bucket, key) && before is not null)
        {
            notify(new ObjectStoreNotification("s3:ObjectRemoved:Delete", bucket, key, 0, string.Empty, string.Empty, DateTimeOffset.UtcNow));
        }
    }

    private async Task DeleteObjectsAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        folders.RequireBucket(r.Bucket);
        var document = await ReadXmlAsync(context, auth).ConfigureAwait(false);
        bool quiet = string.Equals(S3Xml.Child(document, "Quiet"), "true", StringComparison.OrdinalIgnoreCase);
        var results = new List<XElement>();
        foreach (var item in S3Xml.Children(document, "Object"))
        {
            string key = S3Xml.Child(item, "Key") ?? string.Empty;
            try
            {
                DeleteObject(r.Bucket, key);
                if (!quiet)
                {
                    results.Add(S3Xml.E("Deleted", S3Xml.E("Key", key)));
                }
            }
            catch (EtlException ex)
            {
                results.Add(S3Xml.E("Error", S3Xml.E("Key", key), S3Xml.E("Code", ex.Code), S3Xml.E("Message", ex.Message)));
            }
        }

        await WriteXmlAsync(context, S3Xml.E("DeleteResult", results)).ConfigureAwait(false);
    }

    private async Task ListObjectsAsync(HttpContext context, S3Request r)
    {
        folders.RequireBucket(r.Bucket);
        bool v2 = r.Query.GetValueOrDefault("list-type") == "2";
        string prefix = r.Query.GetValueOrDefault("prefix") ?? string.Empty;
        string? delimiter = r.Query.GetValueOrDefault("delimiter") is { Length: > 0 } d ? d : null;
        bool urlEncode = r.Query.GetValueOrDefault("encoding-type") == "url";
        int maxKeys = 1000;
        if (r.Query.TryGetValue("max-keys", out string? max) && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out maxKeys)))
        {
            throw S3Errors.Create("InvalidArgument", "max-keys must be a non-negative integer.");
        }

        maxKeys = Math.Min(maxKeys, 1000);
        string? token = r.Query.GetValueOrDefault("continuation-token");
        string? marker = v2
            ? token is not null ? DecodeToken(token) : r.Query.GetValueOrDefault("start-after")
            : r.Query.GetValueOrDefault("marker");

        var page = ObjectListing.Page(folders.Keys(r.Bucket), prefix, delimiter, marker, maxKeys);
        string Enc(string s) => urlEncode ? Uri.EscapeDataString(s) : s;
        var contents = page.Keys.Select(key => folders.Find(r.Bucket, key)).OfType<StoredObject>().Select(o => S3Xml.E("Contents",
            S3Xml.E("Key", Enc(o.Key)),
            S3Xml.E("LastModified", S3Xml.Date(o.LastModified)),
            S3Xml.E("ETag", Quote(o.ETag)),
            S3Xml.E("Size", o.Size),
            v2 && r.Query.GetValueOrDefault("fetch-owner") != "true" ? null : Owner(),
            S3Xml.E("StorageClass", "STANDARD")));
        var prefixes = page.CommonPrefixes.Select(p => S3Xml.E("CommonPrefixes", S3Xml.E("Prefix", Enc(p))));
        var root = S3Xml.E("ListBucketResult",
            S3Xml.E("Name", r.Bucket),
            S3Xml.E("Prefix", Enc(prefix)),
            delimiter is null ? null : S3Xml.E("Delimiter", Enc(delimiter)),
            S3Xml.E("MaxKeys", maxKeys),
            urlEncode ? S3Xml.E("EncodingType", "url") : null,
            S3Xml.E("IsTruncated", page.IsTruncated ? "true" : "false"));
        if (v2)
        {
            root.Add(S3Xml.E("KeyCount", page.Keys.Count + page.CommonPrefixes.Count));
            if (token is not null)
            {
                root.Add(S3Xml.E("ContinuationToken", token));
            }

            if (page.IsTruncated)
            {
                root.Add(S3Xml.E("NextContinuationToken", EncodeToken(page.Last!)));
            }

            if (r.Query.GetValueOrDefault("start-after") is { } startAfter)
            {
                root.Add(S3Xml.E("StartAfter", Enc(startAfter)));
            }
        }
        else
        {
            root.Add(S3Xml.E("Marker", Enc(marker ?? string.Empty)));
            if (page.IsTruncated)
            {
                root.Add(S3Xml.E("NextMarker", Enc(page.Last!)));
            }
        }

        root.Add(contents);
        root.Add(prefixes);
        await WriteXmlAsync(context, root).ConfigureAwait(false);
    }

    private async Task ListUploadsAsync(HttpContext context, S3Request r)
    {
        folders.RequireBucket(r.Bucket);
        string prefix = r.Query.GetValueOrDefault("prefix") ?? string.Empty;
        await WriteXmlAsync(context, S3Xml.E("ListMultipartUploadsResult",
            S3Xml.E("Bucket", r.Bucket),
            S3Xml.E("KeyMarker"), S3Xml.E("UploadIdMarker"),
            S3Xml.E("Prefix", prefix),
            S3Xml.E("MaxUploads", 1000),
            S3Xml.E("IsTruncated", "false"),
            uploads.InBucket(r.Bucket).Where(u => u.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(u => S3Xml.E("Upload",
                S3Xml.E("Key", u.Key), S3Xml.E("UploadId", u.UploadId), Owner("Initiator"), Owner(),
                S3Xml.E("StorageClass", "STANDARD"), S3Xml.E("Initiated", S3Xml.Date(u.Initiated)))))).ConfigureAwait(false);
    }

    private async Task CreateMultipartAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        await DrainAsync(context, auth).ConfigureAwait(false);
        var upload = uploads.Create(r.Bucket, r.Key!, ContentTypeOf(context), UserMetadataOf(context), KeptHeadersOf(context));
        await WriteXmlAsync(context, S3Xml.E("InitiateMultipartUploadResult",
            S3Xml.E("Bucket", r.Bucket), S3Xml.E("Key", r.Key), S3Xml.E("UploadId", upload.UploadId))).ConfigureAwait(false);
    }

    private async Task UploadPartAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        var upload = uploads.Get(r.Bucket, r.Key!, r.Query["uploadId"]);
        if (!int.TryParse(r.Query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out int partNumber))
        {
            throw S3Errors.Create("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive.");
        }

        var body = await ReceiveBodyAsync(context, auth).ConfigureAwait(false);
        try
        {
            var part = uploads.AddPart(upload, partNumber, body.TempFile, body.Md5Hex);
            body.Committed = true;
            context.Response.Headers.ETag = Quote(part.ETag);
            foreach (var (name, value) in body.Checksums)
            {
                context.Response.Headers[name] = value;
            }
        }
        finally
        {
            body.Discard();
        }
    }

    private async Task ListPartsAsync(HttpContext context, S3Request r)
    {
        var upload = uploads.Get(r.Bucket, r.Key!, r.Query["uploadId"]);
        int marker = int.TryParse(r.Query.GetValueOrDefault("part-number-marker"), NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 0;
        int maxParts = int.TryParse(r.Query.GetValueOrDefault("max-parts"), NumberStyles.None, CultureInfo.InvariantCulture, out int mp) ? Math.Min(mp, 1000) : 1000;
        var parts = uploads.Parts(upload).Where(p => p.PartNumber > marker).ToList();
        var page = parts.Take(maxParts).ToList();
        bool truncated = parts.Count > page.Count;
        await WriteXmlAsync(context, S3Xml.E("ListPartsResult",
            S3Xml.E("Bucket", r.Bucket), S3Xml.E("Key", r.Key), S3Xml.E("UploadId", upload.UploadId),
            Owner("Initiator"), Owner(), S3Xml.E("StorageClass", "STANDARD"),
            S3Xml.E("PartNumberMarker", marker),
            S3Xml.E("NextPartNumberMarker", page.Count > 0 ? page[^1].PartNumber : marker),
            S3Xml.E("MaxParts", maxParts),
            S3Xml.E("IsTruncated", truncated ? "true" : "false"),
            page.Select(p => S3Xml.E("Part", S3Xml.E("PartNumber", p.PartNumber), S3Xml.E("LastModified", S3Xml.Date(p.LastModified)),
                S3Xml.E("ETag", Quote(p.ETag)), S3Xml.E("Size", p.Size))))).ConfigureAwait(false);
    }

    private async Task CompleteMultipartAsync(HttpContext context, S3Request r, SigV4Verification auth)
    {
        var upload = uploads.Get(r.Bucket, r.Key!, r.Query["uploadId"]);
        var document = await ReadXmlAsync(context, auth).ConfigureAwait(false);
        var requested = S3Xml.Children(document, "Part").Select(p =>
            (int.TryParse(S3Xml.Child(p, "PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0, S3Xml.Child(p, "ETag") ?? string.Empty)).ToList();
        var (temp, eTag) = uploads.Assemble(upload, requested);
        try
        {
            var stored = folders.Commit(upload.Bucket, upload.Key, temp, eTag, upload.ContentType, upload.UserMetadata, upload.Headers);
            uploads.Remove(upload);
            notify(Notification("s3:ObjectCreated:CompleteMultipartUpload", stored));
            var request = context.Request;
            await WriteXmlAsync(context, S3Xml.E("CompleteMultipartUploadResult",
                S3Xml.E("Location", $"{request.Scheme}://{request.Host}/{r.Bucket}/{Uri.EscapeDataString(r.Key!).Replace("%2F", "/", StringComparison.Ordinal)}"),
                S3Xml.E("Bucket", r.Bucket), S3Xml.E("Key", r.Key), S3Xml.E("ETag", Quote(stored.ETag)))).ConfigureAwait(false);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>
    /// Receives the request body into a file in store-tmp/, decoding aws-chunked framing, and checks every digest the
    /// client sent (x-amz-content-sha256, Content-MD5, x-amz-checksum-*, x-amz-decoded-content-length) before the
    /// caller may make it visible.
    /// </summary>
    private async Task<ReceivedBody> ReceiveBodyAsync(HttpContext context, SigV4Verification auth)
    {
        string payloadHash = auth.PayloadHash;
        bool chunked = payloadHash.StartsWith("STREAMING-", StringComparison.Ordinal);
        bool signedChunks = payloadHash.StartsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", StringComparison.Ordinal);
        if (chunked && payloadHash is not ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD" or "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" or "STREAMING-UNSIGNED-PAYLOAD-TRAILER"))
        {
            throw S3Errors.Create("InvalidArgument", $"x-amz-content-sha256 '{payloadHash}' is not a payload mode the local store supports.");
        }

        if (!chunked && payloadHash != SigV4RequestVerifier.UnsignedPayload && (payloadHash.Length != 64 || !payloadHash.All(char.IsAsciiHexDigit)))
        {
            throw S3Errors.Create("InvalidArgument", "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a STREAMING-* mode or the hex SHA-256 of the payload.");
        }

        var checksums = new List<ObjectChecksum>();
        var expectedChecksums = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in context.Request.Headers)
        {
            if (ObjectChecksum.ForHeader(header.Key) is { } checksum)
            {
                checksums.Add(checksum);
                expectedChecksums[checksum.HeaderName] = header.Value.ToString();
            }
        }

        foreach (string trailer in (Header(context, "x-amz-trailer") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (ObjectChecksum.ForHeader(trailer) is { } checksum && checksums.All(c => c.Algorithm != checksum.Algorithm))
            {
                checksums.Add(checksum);
            }
        }

        var body = new ReceivedBody(folders.NewTempFile());
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = chunked || payloadHash == SigV4RequestVerifier.UnsignedPayload ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            long size;
            var output = new FileStream(body.TempFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (output.ConfigureAwait(false))
            {
                async ValueTask Sink(ReadOnlyMemory<byte> piece, CancellationToken ct)
                {
                    md5.AppendData(piece.Span);
                    sha256?.AppendData(piece.Span);
                    foreach (var checksum in checksums)
                    {
                        checksum.Append(piece.Span);
                    }

                    await output.WriteAsync(piece, ct).ConfigureAwait(false);
                }

                if (chunked)
                {
                    var decoder = new AwsChunkedDecoder(context.Request.Body, signedChunks ? auth : null);
                    size = await decoder.DecodeAsync(Sink, context.RequestAborted).ConfigureAwait(false);
                    foreach (var (name, value) in decoder.Trailers)
                    {
                        expectedChecksums[name] = value;
                    }

                    if (Header(context, "x-amz-decoded-content-length") is { } decoded && decoded != size.ToString(CultureInfo.InvariantCulture))
                    {
                        throw S3Errors.Create("IncompleteBody", "The decoded body's length does not match x-amz-decoded-content-length.");
                    }
                }
                else
                {
                    size = 0;
                    byte[] buffer = new byte[1 << 16];
                    int read;
                    while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
                    {
                        await Sink(buffer.AsMemory(0, read), context.RequestAborted).ConfigureAwait(false);
                        size += read;
                    }
                }
            }

            if (context.Request.ContentLength is { } declared && !chunked && declared != size)
            {
                throw S3Errors.Create("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
            }

            if (sha256 is not null && !string.Equals(SigV4RequestVerifier.Hex(sha256.GetHashAndReset()), payloadHash, StringComparison.OrdinalIgnoreCase))
            {
                throw S3Errors.Create("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
            }

            byte[] digest = md5.GetHashAndReset();
            if (Header(context, "Content-MD5") is { } contentMd5)
            {
                byte[] sent;
                try
                {
                    sent = Convert.FromBase64String(contentMd5);
                }
                catch (FormatException)
                {
                    sent = [];
                }

                if (sent.Length != 16)
                {
                    throw S3Errors.Create("InvalidDigest", "The Content-MD5 you specified is not valid (it must be the base64 of a 16-byte MD5).");
                }

                if (!sent.AsSpan().SequenceEqual(digest))
                {
                    throw S3Errors.Create("BadDigest", "The Content-MD5 you specified did not match what we received.");
                }
            }

            foreach (var checksum in checksums)
            {
                string actual = checksum.Base64();
                if (expectedChecksums.TryGetValue(checksum.HeaderName, out string? expected))
                {
                    if (!string.Equals(expected, actual, StringComparison.Ordinal))
                    {
                        throw S3Errors.Create("BadDigest", $"The {checksum.Algorithm.ToUpperInvariant()} you specified did not match the calculated checksum.");
                    }

                    body.Checksums[checksum.HeaderName] = actual;
                }
            }

            body.Md5Hex = Convert.ToHexStringLower(digest);
            return body;
        }
        catch
        {
            body.Discard();
            throw;
        }
        finally
        {
            foreach (var checksum in checksums)
            {
                checksum.Dispose();
            }
        }
    }

    private async Task<XElement> ReadXmlAsync(HttpContext context, SigV4Verification auth)
    {
        var body = await ReceiveBodyAsync(context, auth).ConfigureAwait(false);
        try
        {
            if (new FileInfo(body.TempFile).Length > 4 * 1024 * 1024)
            {
                throw S3Errors.Create("MalformedXML", "The XML document is larger than the local store accepts (4 MiB).");
            }

            using var stream = File.OpenRead(body.TempFile);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XDocument.Load(reader).Root ?? throw S3Errors.Create("MalformedXML", "The XML you provided was empty.");
        }
        finally
        {
            body.Discard();
        }
    }

    // Bodies of requests that carry none the store needs (CreateBucket's configuration) are still read, so a signed
    // stream is verified and the connection stays usable.
    private async Task DrainAsync(HttpContext context, SigV4Verification auth)
    {
        if (context.Request.ContentLength is null or 0 && !auth.PayloadHash.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            return;
        }

        (await ReceiveBodyAsync(context, auth).ConfigureAwait(false)).Discard();
    }

    private static async Task CopyRangeAsync(Stream source, Stream destination, long length, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[1 << 16];
        while (length > 0)
        {
            int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            length -= read;
        }
    }

    /// <summary>The (start, length) of a single "bytes=" range; null for a header S3 ignores (several ranges, another unit).</summary>
    private static (long Start, long Length)? ParseRange(string header, long size)
    {
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        string spec = header[6..].Trim();
        int dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        string first = spec[..dash], last = spec[(dash + 1)..];
        long start, end;
        if (first.Length == 0)
        {
            if (!long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out long suffix) || suffix == 0)
            {
                return null;
            }

            start = Math.Max(0, size - suffix);
            end = size - 1;
        }
        else
        {
            if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out start))
            {
                return null;
            }

            end = last.Length == 0 ? size - 1 : long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out long e) ? Math.Min(e, size - 1) : -1;
            if (end < 0 && last.Length > 0)
            {
                return null;
            }
        }

        if (start >= size || end < start)
        {
            throw S3Errors.Create("InvalidRange", "The requested range is not satisfiable.");
        }

        return (start, end - start + 1);
    }

    private static bool ETagMatches(string header, string eTag) =>
        header.Split(',', StringSplitOptions.TrimEntries).Any(t => t == "*" || t == eTag || t == eTag.Trim('"'));

    private static string ContentTypeOf(HttpContext context) =>
        context.Request.ContentType is { Length: > 0 } type ? type : "binary/octet-stream";

    private static Dictionary<string, string> UserMetadataOf(HttpContext context) =>
        context.Request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key["x-amz-meta-".Length..].ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);

    private static Dictionary<string, string> KeptHeadersOf(HttpContext context)
    {
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in KeptHeaders)
        {
            if (Header(context, name) is { Length: > 0 } value)
            {
                // aws-chunked describes the transfer, not the object: S3 does not store it.
                if (name == "Content-Encoding")
                {
                    value = string.Join(',', value.Split(',', StringSplitOptions.TrimEntries).Where(v => !string.Equals(v, "aws-chunked", StringComparison.OrdinalIgnoreCase)));
                    if (value.Length == 0)
                    {
                        continue;
                    }
                }

                kept[name] = value;
            }
        }

        return kept;
    }

    private static ObjectStoreNotification Notification(string eventName, StoredObject stored) =>
        new(eventName, stored.Bucket, stored.Key, stored.Size, stored.ETag, stored.ContentType, DateTimeOffset.UtcNow);

    private static string Quote(string eTag) => "\"" + eTag + "\"";

    private static XElement Owner(string element = "Owner") => S3Xml.E(element, S3Xml.E("ID", OwnerId), S3Xml.E("DisplayName", OwnerId));

    private static string EncodeToken(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw S3Errors.Create("InvalidArgument", "The continuation token provided is incorrect.");
        }
    }

    private static async Task WriteXmlAsync(HttpContext context, XElement root)
    {
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(S3Xml.Document(root), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteErrorAsync(HttpContext context, string code, string message, string? resource, string requestId)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = S3Errors.StatusOf(code);
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(S3Errors.Body(code, message, resource, requestId), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A body received into store-tmp/: removed unless it was committed (renamed away).</summary>
    private sealed class ReceivedBody(string tempFile)
    {
        public string TempFile { get; } = tempFile;

        public string Md5Hex { get; set; } = string.Empty;

        public Dictionary<string, string> Checksums { get; } = new(StringComparer.OrdinalIgnoreCase);

        public bool Committed { get; set; }

        public void Discard()
        {
            if (!Committed && File.Exists(TempFile))
            {
                File.Delete(TempFile);
            }
        }
    }
}
