namespace ArgoEtl;

/// <summary>
/// The one exception type the core throws for expected failures. <see cref="Code"/> is stable (it becomes the
/// PowerShell ErrorId and is what tests assert) and comes from <see cref="EtlErrors"/>; <see cref="Suggestion"/> tells
/// the user what to do in this case. Messages never contain secrets: callers pass only names, paths, keys and line numbers.
/// </summary>
public sealed class EtlException : Exception
{
    /// <summary>An error of the catalog, of the kind the catalog gives it.</summary>
    public EtlException(EtlError error, string message, string? suggestion = null, object? target = null, Exception? inner = null)
        : this(error, (error ?? throw new ArgumentNullException(nameof(error))).Kind, message, suggestion, target, inner)
    {
    }

    /// <summary>An error of the catalog whose kind depends on the cause (a missing file vs. a refused one).</summary>
    public EtlException(EtlError error, EtlErrorKind kind, string message, string? suggestion = null, object? target = null, Exception? inner = null)
        : this((error ?? throw new ArgumentNullException(nameof(error))).Code, kind, message, suggestion ?? error.WhatToDo, target, inner)
    {
    }

    /// <summary>
    /// An error by its code. Prefer the <see cref="EtlError"/> overloads: a literal code not in <see cref="EtlErrors"/>
    /// fails the catalog test. Kept for codes that travel (an error re-thrown with more context).
    /// </summary>
    public EtlException(string code, EtlErrorKind kind, string message, string? suggestion = null, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Kind = kind;
        Suggestion = suggestion;
        Target = target;
    }

    public EtlException() : this(EtlErrors.Internal, "Unknown error.") { }

    public EtlException(string message) : this(EtlErrors.Internal, message) { }

    public EtlException(string message, Exception inner) : this(EtlErrors.Internal, message, null, null, inner) { }

    /// <summary>Stable identifier, e.g. <c>CsvBadValue</c>; an entry of <see cref="EtlErrors"/>.</summary>
    public string Code { get; }

    public EtlErrorKind Kind { get; }

    /// <summary>What the user can do about it; the catalog's general advice when the throw site gives none.</summary>
    public string? Suggestion { get; }

    /// <summary>What the error is about (a path, URI, row); shown as the ErrorRecord's TargetObject.</summary>
    public object? Target { get; }
}
