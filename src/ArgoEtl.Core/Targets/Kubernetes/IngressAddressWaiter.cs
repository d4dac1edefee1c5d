using System.Diagnostics;
using System.Globalization;
using System.Net;
using ArgoEtl.Core.Kubernetes;

namespace ArgoEtl.Core.Targets.Kubernetes;

/// <summary>
/// Waits until an Ingress has an address — status.loadBalancer.ingress[0].hostname (an ALB's DNS name), else its ip —
/// reading the Ingress from the API server, so the SNS EventSource's webhook.url can be set to it. This replaces the
/// typical setup's hook that polled 'kubectl get ingress' and rewrote a values file. Progress is reported on every
/// poll; the wait ends with IngressAddressTimeout, naming where to look, when no address came in time.
/// </summary>
public sealed class IngressAddressWaiter(KubeClient client)
{
    /// <summary>How long between two reads of the Ingress.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <param name="progress">Each poll: seconds waited and the timeout.</param>
    public async Task<IngressAddress> WaitAsync(string name, string? ns, TimeSpan timeout, IProgress<(TimeSpan Waited, TimeSpan Timeout, string Status)>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ns ??= client.DefaultNamespace;
        string path = $"/apis/networking.k8s.io/v1/namespaces/{Uri.EscapeDataString(ns)}/ingresses/{Uri.EscapeDataString(name)}";
        var clock = Stopwatch.StartNew();
        string status = "not read yet";
        while (true)
        {
            var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (response.IsSuccess)
            {
                var first = response.Body?["status"]?["loadBalancer"]?["ingress"]?[0];
                string? host = first?["hostname"]?.GetValue<string>() is { Length: > 0 } h ? h : first?["ip"]?.GetValue<string>();
                if (!string.IsNullOrEmpty(host))
                {
                    bool tls = response.Body?["spec"]?["tls"] is System.Text.Json.Nodes.JsonArray { Count: > 0 };
                    return new IngressAddress(name, ns, host, new Uri($"{(tls ? "https" : "http")}://{host}"));
                }

                status = "no address yet (status.loadBalancer.ingress is empty)";
            }
            else if (response.Status == HttpStatusCode.NotFound)
            {
                status = "the Ingress does not exist (yet)";
            }
            else
            {
                throw KubeClient.Failure(response, $"Reading Ingress {ns}/{name}");
            }

            var waited = clock.Elapsed;
            progress?.Report((waited, timeout, status));
            if (waited >= timeout)
            {
                throw new EtlException(EtlErrors.IngressAddressTimeout, EtlErrorKind.Connection,
                    $"Ingress {ns}/{name} got no address within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {status}.",
                    "Check that the AWS Load Balancer Controller runs (kubectl -n kube-system logs deploy/aws-load-balancer-controller) and the Ingress' events (kubectl -n " + ns + " describe ingress " + name + "); a new ALB often takes 2-3 minutes.",
                    $"{ns}/{name}");
            }

            await Task.Delay(PollInterval < timeout - waited ? PollInterval : timeout - waited, cancellationToken).ConfigureAwait(false);
        }
    }
}
