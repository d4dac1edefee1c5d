using ArgoEtl.Core.Runs;

namespace ArgoEtl.Core.Targets.Local.Workflows;

/// <summary>A finished node as its callers see it: the public node, plus stdout (outputs.result) and, for loops, the children whose outputs aggregate.</summary>
internal sealed class NodeOutcome(EtlWorkflowNode node)
{
    public EtlWorkflowNode Node { get; } = node;

    public EtlRunPhase Phase => Node.Phase;

    public string? Result { get; set; }

    public List<NodeOutcome>? Items { get; set; }

    public bool IsFailure => Phase is EtlRunPhase.Failed or EtlRunPhase.Error;
}
