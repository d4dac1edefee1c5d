using System.Globalization;
using System.Management.Automation;
using ArgoEtl.Core;
using ArgoEtl.Core.Targets.Kubernetes;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Projects;

/// <summary>
/// <para type="synopsis">Waits until an Ingress has an address (status.loadBalancer.ingress[0].hostname, else ip) and returns it with the URL it serves.</para>
/// <para type="description">Reads the Ingress from the cluster every -PollSeconds, with a progress bar, until the load balancer controller has given it an
/// address (an ALB's DNS name on EKS) or -TimeoutSeconds pass (error IngressAddressTimeout). In a dev session's -After block its output becomes the template
/// value URL (and HOST), so an SNS EventSource's webhook.url of '{{.WEBHOOK_URL}}' can be set from it: -After { @{ WEBHOOK_URL = (Wait-EtlIngress s3-eventsource -Namespace etl).Url } }.
/// A deploy whose -After block changes a template value is rendered and deployed once more.</para>
/// </summary>
/// <example>
/// <code>Wait-EtlIngress -Name s3-eventsource -Namespace etl -TimeoutSeconds 300</code>
/// <para>Waits up to five minutes for the ALB in front of the S3 example's EventSource and returns its address.</para>
/// </example>
[Cmdlet(VerbsLifecycle.Wait, "EtlIngress")]
[OutputType(typeof(IngressAddress))]
public sealed class WaitEtlIngressCommand : KubeCmdlet
{
    /// <summary>
    /// <para type="description">The Ingress' name (metadata.name).</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Its namespace. Default: the kubeconfig context's namespace.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>
    /// <para type="description">How long to wait, in seconds. Default: 300 (a new ALB takes 2-3 minutes).</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSeconds { get; set; } = 300;

    /// <summary>
    /// <para type="description">Seconds between two reads of the Ingress. Default: 2.</para>
    /// </summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollSeconds { get; set; } = 2;

    protected override void ProcessRecord()
    {
        var record = new ProgressRecord(0x1A6E55, $"Waiting for Ingress {Name} to get an address", "Reading the Ingress");
        try
        {
            using var client = Connect();
            var waiter = new IngressAddressWaiter(client) { PollInterval = TimeSpan.FromSeconds(PollSeconds) };
            var address = RunWithProgress<IngressAddress, (TimeSpan Waited, TimeSpan Timeout, string Status)>(
                (progress, ct) => waiter.WaitAsync(Name, Namespace, TimeSpan.FromSeconds(TimeoutSeconds), progress, ct),
                p =>
                {
                    record.StatusDescription = $"{p.Status} ({p.Waited.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s of {p.Timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)";
                    record.PercentComplete = (int)Math.Min(100, p.Waited.TotalSeconds * 100 / Math.Max(1, p.Timeout.TotalSeconds));
                    WriteProgress(record);
                });
            WriteObject(address);
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
        finally
        {
            record.RecordType = ProgressRecordType.Completed;
            WriteProgress(record);
        }
    }
}
