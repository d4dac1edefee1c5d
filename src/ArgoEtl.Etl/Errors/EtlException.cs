namespace ArgoEtl;

/// <summary>
/// The one exception type the core throws for expected failures. <see cref="Code"/> is stable (it becomes the
/// PowerShell ErrorId and is what tests assert), <see cref="Suggestion"/> tells the user what to do.
/// Messages never contain secrets: callers pass only names, paths, keys and line numbers.
/// </summary>
public sealed class EtlException : Exception
{
    public EtlException(string code, EtlErrorKind kind, string message, string? suggestion = null, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Kind = kind;
        Suggestion = suggestion;
        Target = target;
    }

    public EtlException() : this("Internal", EtlErrorKind.Internal, "Unknown error.") { }

    public EtlException(string message) : this("Internal", EtlErrorKind.Internal, message) { }

    public EtlException(string message, Exception inner) : this("Internal", EtlErrorKind.Internal, message, null, null, inner) { }

    /// <summary>Stable identifier, e.g. <c>CsvBadValue</c>.</summary>
    public string Code { get; }

    public EtlErrorKind Kind { get; }

    /// <summary>What the user can do about it; null when nothing useful can be said.</summary>
    public string? Suggestion { get; }

    /// <summary>What the error is about (a path, URI, row); shown as the ErrorRecord's TargetObject.</summary>
    public object? Target { get; }
}
