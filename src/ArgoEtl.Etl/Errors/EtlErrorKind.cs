namespace ArgoEtl;

/// <summary>
/// What went wrong, in terms a caller can act on. The PowerShell layer maps these to ErrorCategory; the CLI maps them
/// to exit codes. Kept free of PowerShell types so the core can be used anywhere.
/// </summary>
public enum EtlErrorKind
{
    InvalidArgument,
    InvalidData,
    NotFound,
    PermissionDenied,
    Authentication,
    Connection,
    Conflict,
    NotInstalled,
    Canceled,
    Internal,
}
