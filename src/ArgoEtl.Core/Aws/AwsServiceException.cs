using System.Net;

namespace ArgoEtl.Core.Aws;

/// <summary>An error AWS returned (code and message from the response body), before it is given the caller's context.</summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException(string service, string action, HttpStatusCode status, string code, string message)
        : base($"{service} {action} failed: {code}: {message}")
    {
        Service = service;
        Action = action;
        Status = status;
        Code = code;
        AwsMessage = message;
    }

    public AwsServiceException() : this("aws", "request", HttpStatusCode.InternalServerError, "Unknown", "unknown error") { }

    public AwsServiceException(string message) : this("aws", "request", HttpStatusCode.InternalServerError, "Unknown", message) { }

    public AwsServiceException(string message, Exception inner) : base(message, inner)
    {
        Service = "aws";
        Action = "request";
        Code = "Unknown";
        AwsMessage = message;
    }

    public string Service { get; }

    public string Action { get; }

    public HttpStatusCode Status { get; }

    public string Code { get; }

    public string AwsMessage { get; }

    public bool IsNotFound => Code is "NotFound" or "NoSuchEntity" or "NoSuchBucket" or "ResourceNotFoundException" or "RepositoryNotFoundException"
        or "LoadBalancerNotFound" or "TargetGroupNotFound" or "InvalidGroup.NotFound" or "InvalidNetworkInterfaceID.NotFound"
        || Status == HttpStatusCode.NotFound;

    /// <summary>The entity exists already, or is in use: IAM EntityAlreadyExists/DeleteConflict, EKS ResourceInUseException, HTTP 409.</summary>
    public bool IsConflict => Code is "EntityAlreadyExists" or "DeleteConflict" or "ResourceInUseException" or "ResourceInUse" or "DuplicateLoadBalancerName"
        or "DependencyViolation" or "InvalidNetworkInterface.InUse" || Status == HttpStatusCode.Conflict;

    /// <summary>Worth another try: throttling and server-side failures.</summary>
    public bool IsTransient => Code is "Throttling" or "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" or "SlowDown"
        or "ServiceUnavailable" or "InternalFailure" or "InternalError" or "RequestTimeout"
        || (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests;

    /// <summary>The error as the rest of ArgoEtl reports it: a stable id, a kind, and what to do about it.</summary>
    public EtlException ToEtlException(string what, object? target)
    {
        var (id, kind, suggestion) = Code switch
        {
            "AccessDenied" or "AccessDeniedException" or "AuthorizationError" or "UnauthorizedOperation" => ("AwsAccessDenied", EtlErrorKind.PermissionDenied,
                $"Grant the caller {Service}:{Action} on the resource, or use a profile/role that has it."),
            "SignatureDoesNotMatch" or "InvalidClientTokenId" or "InvalidAccessKeyId" or "ExpiredToken" or "ExpiredTokenException" or "UnrecognizedClientException"
                or "MissingAuthenticationToken" => ("AwsCredentialsRejected", EtlErrorKind.Authentication,
                "Check the access key and secret (or refresh the session, e.g. 'aws sso login'), and that they belong to this endpoint."),
            _ when IsNotFound => ("AwsResourceNotFound", EtlErrorKind.NotFound, "Check the name and the region."),
            _ when IsConflict => ("AwsConflict", EtlErrorKind.Conflict, "Something else holds or uses this resource; see the message, resolve it, and run again."),
            _ when IsTransient => ("AwsServiceUnavailable", EtlErrorKind.Connection, "AWS kept failing after retries; try again later."),
            "InvalidParameter" or "InvalidParameterValue" or "ValidationError" or "MalformedPolicyDocument" or "InvalidArgument" or "MalformedXML"
                => ("AwsInvalidRequest", EtlErrorKind.InvalidArgument, "Correct the value named in the message."),
            _ => ("AwsRequestFailed", EtlErrorKind.Internal, "See the AWS error code in the message."),
        };
        return new EtlException(id, kind, $"{what}: {Code}: {AwsMessage}", suggestion, target, this);
    }
}
