using System.Text.Json.Nodes;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>The default EventBus on JetStream (NATS streaming is deprecated upstream).</summary>
public sealed class EventBusComponent : InfraComponent
{
    public override string Name => InfraPlanner.EventBus;

    public override Task<IReadOnlyList<KubeObject>> ObjectsAsync(InfraContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult<IReadOnlyList<KubeObject>>([new(KubeObjects.Obj("argoproj.io/v1alpha1", "EventBus", "default", context.Options.EventsNamespace, new JsonObject
        {
            ["spec"] = new JsonObject { ["jetstream"] = new JsonObject { ["version"] = context.Options.JetStreamVersion, ["replicas"] = 3 } },
        }), Name)]);
    }
}
