using System.Management.Automation;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>
/// The one place ErrorRecords are made. ErrorId is the core's stable code (what tests and scripts match on),
/// RecommendedAction is its suggestion, and the category follows the kind of failure.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(EtlException exception)
    {
        var record = new ErrorRecord(exception, exception.Code, Category(exception.Kind), exception.Target);
        record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.Suggestion ?? string.Empty };
        return record;
    }

    /// <summary>An error found by the cmdlet layer itself (a path PowerShell could not resolve), with the same shape as core errors.</summary>
    public static ErrorRecord Create(EtlError error, string message, object? target, string? suggestion = null) =>
        From(new EtlException(error, message, suggestion, target));

    private static ErrorCategory Category(EtlErrorKind kind) => kind switch
    {
        EtlErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        EtlErrorKind.InvalidData => ErrorCategory.InvalidData,
        EtlErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        EtlErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        EtlErrorKind.Authentication => ErrorCategory.AuthenticationError,
        EtlErrorKind.Connection => ErrorCategory.ConnectionError,
        EtlErrorKind.Conflict => ErrorCategory.ResourceExists,
        EtlErrorKind.NotInstalled => ErrorCategory.NotInstalled,
        EtlErrorKind.Canceled => ErrorCategory.OperationStopped,
        _ => ErrorCategory.NotSpecified,
    };
}
