namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>The labels and annotations Argo puts on what it creates, which the dev loop reads.</summary>
public static class WorkflowLabels
{
    /// <summary>On a Workflow's pods: the Workflow's name.</summary>
    public const string Workflow = "workflows.argoproj.io/workflow";

    /// <summary>On a Workflow's pods: the node the pod runs.</summary>
    public const string NodeName = "workflows.argoproj.io/node-name";

    /// <summary>On what a Sensor's k8s trigger creates: the Sensor's name.</summary>
    public const string Sensor = "events.argoproj.io/sensor";

    /// <summary>On what a Sensor's k8s trigger creates: the trigger's name.</summary>
    public const string Trigger = "events.argoproj.io/trigger";

    /// <summary>On an EventSource's Deployment and pods (Argo Events' controller).</summary>
    public const string EventSourceName = "eventsource-name";

    /// <summary>On a Sensor's Deployment and pods.</summary>
    public const string SensorName = "sensor-name";
}
