namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>The trigger kinds the local target runs.</summary>
public enum TriggerKind
{
    /// <summary>k8s: create the resource (a Workflow runs; other kinds are recorded as objects).</summary>
    K8s,

    /// <summary>argoWorkflow: submit the Workflow.</summary>
    ArgoWorkflow,

    /// <summary>log: log the events.</summary>
    Log,

    /// <summary>http: send a request.</summary>
    Http,
}
