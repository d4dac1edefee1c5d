namespace ArgoEtl.Core.Targets.Local.Sensors.Templates;

/// <summary>A Go template that does not parse or fails while executing (upstream: text/template's error).</summary>
public sealed class GoTemplateException : Exception
{
    public GoTemplateException() : this("template error") { }

    public GoTemplateException(string message) : base(message) { }

    public GoTemplateException(string message, Exception inner) : base(message, inner) { }
}
