namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>A parameter that did not resolve (upstream: "unable to resolve ... parameter value"); the evaluator turns it
/// into an <see cref="EtlException"/> naming the trigger, the key and the Sensor's file:line.</summary>
public sealed class ParameterResolutionException : Exception
{
    public ParameterResolutionException() : this("parameter did not resolve") { }

    public ParameterResolutionException(string message) : base(message) { }

    public ParameterResolutionException(string message, Exception inner) : base(message, inner) { }

    public ParameterResolutionException(string message, TriggerParameter parameter) : base(message) => Parameter = parameter;

    public TriggerParameter? Parameter { get; }
}
