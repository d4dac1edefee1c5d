using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ArgoEtl.Etl.Aws;

namespace ArgoEtl.Etl.Storage;

/// <summary>
/// S3 and S3-compatible stores through AWSSDK.S3. Uploads are a single PUT up to <see cref="MultipartThreshold"/>
/// and a multipart upload above it, aborted on any failure, so no partial object is ever visible.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    /// <summary>Above this size outputs are uploaded in parts.</summary>
    public const long MultipartThreshold = 64L << 20;

    private const long PartSize = 16L << 20;
    private readonly AmazonS3Client _client;
    private readonly string _endpoint;

    /// <summary>A store over the connection's S3 endpoint (see <see cref="S3ClientFactory"/>: the one way S3 clients are built).</summary>
    public S3ObjectStore(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _endpoint = S3ClientFactory.Describe(connection);
        _client = S3ClientFactory.Create(connection);
    }

    public async Task<(Stream Content, long? Length)> OpenReadAsync(ObjectLocation location, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        try
        {
            var response = await _client.GetObjectAsync(location.Container, location.Path, cancellationToken).ConfigureAwait(false);
            return (response.ResponseStream, response.ContentLength);
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Translate(ex, location);
        }
    }

    public async Task PublishAsync(string localFile, ObjectLocation destination, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        long size = new FileInfo(localFile).Length;
        try
        {
            if (size <= MultipartThreshold)
            {
                await _client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = destination.Container,
                    Key = destination.Path,
                    FilePath = localFile,
                    ContentType = contentType,
                    // Chunked (aws-chunked) uploads over plain http are stored with their framing by some S3-compatible stores.
                    UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await UploadInPartsAsync(localFile, size, destination, contentType, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsStoreFailure(ex, cancellationToken))
        {
            throw Translate(ex, destination);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task UploadInPartsAsync(string localFile, long size, ObjectLocation destination, string contentType, CancellationToken cancellationToken)
    {
        var start = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = destination.Container,
            Key = destination.Path,
            ContentType = contentType,
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            int number = 1;
            for (long offset = 0; offset < size; offset += PartSize, number++)
            {
                var part = await _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = destination.Container,
                    Key = destination.Path,
                    UploadId = start.UploadId,
                    PartNumber = number,
                    FilePath = localFile,
                    FilePosition = offset,
                    PartSize = Math.Min(PartSize, size - offset),
                    UseChunkEncoding = false,
                }, cancellationToken).ConfigureAwait(false);
                parts.Add(new PartETag(number, part.ETag));
            }

            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = destination.Container,
                Key = destination.Path,
                UploadId = start.UploadId,
                PartETags = parts,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Abort even when the caller canceled: a dangling upload costs storage and is invisible to the user.
            await _client.AbortMultipartUploadAsync(destination.Container, destination.Path, start.UploadId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private static System.Net.Sockets.SocketError? FindSocketError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Net.Sockets.SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }

    // The SDK lets transport failures through as they are (HttpRequestException, SocketException, a timeout's
    // TaskCanceledException); all of them are the store's failure, to be reported as one.
    private static bool IsStoreFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is AmazonServiceException or AmazonClientException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException or IOException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private EtlException Translate(Exception ex, ObjectLocation location)
    {
        if (ex is not AmazonServiceException && FindSocketError(ex) is { } socketError)
        {
            string why = socketError switch
            {
                System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData => "its host name could not be resolved",
                System.Net.Sockets.SocketError.ConnectionRefused => "the connection was refused (nothing listens there)",
                System.Net.Sockets.SocketError.TimedOut => "the connection timed out",
                _ => $"the connection failed ({socketError})",
            };
            return new EtlException("S3Unreachable", EtlErrorKind.Connection, $"The S3 endpoint {_endpoint} could not be reached for '{location}': {why}.",
                "Check the endpoint URL (--s3-endpoint, -EndpointUrl or AWS_ENDPOINT_URL_S3) and that the store is running and reachable.", location.ToString(), ex);
        }

        if (ex is not (AmazonServiceException or AmazonClientException))
        {
            return new EtlException("S3Unreachable", EtlErrorKind.Connection,
                $"The S3 endpoint {_endpoint} did not answer for '{location}': {UrlRedaction.Redact(ex.Message)}",
                "Check the endpoint URL and that the store is running and reachable.", location.ToString(), ex);
        }

        string code = (ex as AmazonServiceException)?.ErrorCode ?? string.Empty;
        var status = (ex as AmazonServiceException)?.StatusCode ?? 0;
        return code switch
        {
            "NoSuchBucket" => new EtlException("S3BucketNotFound", EtlErrorKind.NotFound, $"Bucket '{location.Container}' does not exist ({location}).",
                "Create the bucket or correct the bucket name; check the endpoint and region too.", location.ToString(), ex),
            "NoSuchKey" => new EtlException("S3ObjectNotFound", EtlErrorKind.NotFound, $"Object '{location}' does not exist.",
                "Check the key (keys are case-sensitive) and that the upload finished.", location.ToString(), ex),
            "AccessDenied" or "AllAccessDisabled" => new EtlException("S3AccessDenied", EtlErrorKind.PermissionDenied, $"Access to '{location}' was denied.",
                "Grant the caller s3:GetObject/s3:PutObject on this bucket and prefix.", location.ToString(), ex),
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" => new EtlException("S3CredentialsRejected", EtlErrorKind.Authentication,
                $"The S3 endpoint rejected the credentials ({code}) for '{location}'.",
                "Check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile, and that they belong to this endpoint.", location.ToString(), ex),
            _ when status == HttpStatusCode.NotFound => new EtlException("S3ObjectNotFound", EtlErrorKind.NotFound, $"'{location}' was not found.",
                "Check the bucket and key.", location.ToString(), ex),
            _ when ex is AmazonClientException && ex.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) => new EtlException("S3NoCredentials",
                EtlErrorKind.Authentication, $"No AWS credentials were found to access '{location}'.",
                "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile (AWS_PROFILE), or run where an instance/IRSA role is available.", location.ToString(), ex),
            _ => new EtlException("S3RequestFailed", ex is AmazonServiceException ? EtlErrorKind.Internal : EtlErrorKind.Connection,
                $"S3 request for '{location}' failed: {(code.Length > 0 ? code : ex.GetType().Name)}.",
                "Check the endpoint URL and that the store is reachable; the request was retried before giving up.", location.ToString(), ex),
        };
    }
}
