namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

/// <summary>A Go template that does not parse or fails while executing (upstream: text/template's error).</summary>
public sealed class GoTemplateException : Exception
{
    public GoTemplateException() : this("template error") { }

    public GoTemplateException(string message) : base(message) { }

    public GoTemplateException(string message, Exception inner) : base(message, inner) { }

    public GoTemplateException(string message, bool unsupported) : base(message) => Unsupported = unsupported;

    /// <summary>Valid Go template syntax or a sprig function the local target does not implement (not an upstream failure).</summary>
    public bool Unsupported { get; }
}
