namespace ArgoEtl.Core.Targets.Local.Expressions;

/// <summary>An expression that does not parse or cannot be evaluated (upstream: govaluate's error).</summary>
public sealed class GovaluateException : Exception
{
    public GovaluateException() : this("expression error") { }

    public GovaluateException(string message) : base(message) { }

    public GovaluateException(string message, Exception inner) : base(message, inner) { }

    public GovaluateException(string message, bool unsupported) : base(message) => Unsupported = unsupported;

    /// <summary>Valid govaluate syntax the local target does not implement (functions, bitwise operators).</summary>
    public bool Unsupported { get; }
}
