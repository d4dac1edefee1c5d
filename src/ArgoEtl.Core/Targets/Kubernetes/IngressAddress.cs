namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>The address a load balancer controller gave an Ingress (status.loadBalancer.ingress[0]), and the URL it serves.</summary>
public sealed record IngressAddress(string Name, string Namespace, string Host, Uri Url)
{
    public override string ToString() => $"Ingress {Namespace}/{Name}: {Url}";
}
