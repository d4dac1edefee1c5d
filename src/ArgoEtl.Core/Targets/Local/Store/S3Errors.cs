using System.Xml.Linq;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// The S3 errors the local store answers with, as <see cref="EtlException"/>s whose code is S3's own error code (what
/// clients branch on), and the HTTP status and XML body each is sent as.
/// </summary>
internal static class S3Errors
{
    private static readonly Dictionary<string, int> StatusByCode = new(StringComparer.Ordinal)
    {
        ["NoSuchBucket"] = 404,
        ["NoSuchKey"] = 404,
        ["NoSuchUpload"] = 404,
        ["BucketNotEmpty"] = 409,
        ["BucketAlreadyOwnedByYou"] = 409,
        ["SignatureDoesNotMatch"] = 403,
        ["InvalidAccessKeyId"] = 403,
        ["AccessDenied"] = 403,
        ["RequestTimeTooSkewed"] = 403,
        ["InvalidPart"] = 400,
        ["InvalidPartOrder"] = 400,
        ["InvalidRange"] = 416,
        ["InvalidBucketName"] = 400,
        ["InvalidArgument"] = 400,
        ["InvalidDigest"] = 400,
        ["BadDigest"] = 400,
        ["XAmzContentSHA256Mismatch"] = 400,
        ["IncompleteBody"] = 400,
        ["MalformedXML"] = 400,
        ["InvalidRequest"] = 400,
        ["EntityTooSmall"] = 400,
        ["KeyTooLongError"] = 400,
        ["MissingContentLength"] = 411,
        ["PreconditionFailed"] = 412,
        ["NotImplemented"] = 501,
        ["MethodNotAllowed"] = 405,
        ["AuthorizationHeaderMalformed"] = 400,
        ["AuthorizationQueryParametersError"] = 400,
        ["InternalError"] = 500,
    };

    public static EtlException Create(string code, string message, string? resource = null) =>
        new(code, KindOf(code), message, SuggestionFor(code), resource);

    public static EtlException NoSuchBucket(string bucket) =>
        Create("NoSuchBucket", "The specified bucket does not exist.", "/" + bucket);

    public static EtlException NoSuchKey(string bucket, string key) =>
        Create("NoSuchKey", "The specified key does not exist.", $"/{bucket}/{key}");

    public static EtlException NoSuchUpload(string uploadId) =>
        Create("NoSuchUpload", "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", uploadId);

    public static int StatusOf(string code) => StatusByCode.TryGetValue(code, out int status) ? status : 500;

    /// <summary>S3's error document: Code, Message, Resource and a request id.</summary>
    public static string Body(string code, string message, string? resource, string requestId) =>
        S3Xml.Document(new XElement("Error",
            new XElement("Code", code),
            new XElement("Message", message),
            resource is null ? null : new XElement("Resource", resource),
            new XElement("RequestId", requestId)));

    private static EtlErrorKind KindOf(string code) => StatusOf(code) switch
    {
        404 => EtlErrorKind.NotFound,
        409 => EtlErrorKind.Conflict,
        403 => code == "AccessDenied" ? EtlErrorKind.PermissionDenied : EtlErrorKind.Authentication,
        500 => EtlErrorKind.Internal,
        _ => EtlErrorKind.InvalidArgument,
    };

    private static string? SuggestionFor(string code) => code switch
    {
        "SignatureDoesNotMatch" => "Sign requests with the secret the local store printed at start (its credentials), and check the client's clock and endpoint.",
        "InvalidAccessKeyId" => "Use the access key id of this local store's credentials.",
        "NoSuchBucket" => "Create the bucket first (aws s3 mb, CreateBucket) or name one the store serves.",
        _ => null,
    };
}
