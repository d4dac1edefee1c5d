using System.Management.Automation;
using ArgoEtl.Core.Changes;
using ArgoEtl.Core.Notifications;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Aws;

/// <summary>
/// <para type="synopsis">Makes S3 send a bucket's new objects under a prefix to the project's SNS topic, for an Argo Events SNS event source.</para>
/// <para type="description">Replaces the typical init.sh. Checks first, changing nothing if anything is wrong: the caller's account (STS), that the
/// bucket exists in the region, that its notification configuration can be read, and that no other entry on the bucket would overlap.
/// Then, only where something differs: creates the SNS topic '&lt;project&gt;-s3-noti'; lets s3.amazonaws.com publish to it for this bucket
/// and account only; adds the entry '&lt;project&gt;-s3-noti' to the bucket's notification configuration, keeping every other entry; and,
/// with -RoleName, puts inline policies on the event source's role that allow subscribing to this topic and reading/writing the prefixes.
/// If a step fails, the steps already done are undone. Running it again changes nothing.</para>
/// </summary>
/// <example>
/// <code>New-EtlS3Notification -Project csv2json -Bucket my-etl-bucket -Prefix input/ -Suffix .csv -EventType s3:ObjectCreated:* -NodeRoleName eks-node-role -Region ap-northeast-2</code>
/// <para>Sets up notifications for CSV files landing under input/ and grants the node role what the SNS event source needs.</para>
/// </example>
/// <example>
/// <code>New-EtlS3Notification -Project csv2json -Bucket my-etl-bucket -Prefix input/ -WhatIf</code>
/// <para>Lists every AWS call it would make, after the read-only checks, without changing anything.</para>
/// </example>
[Cmdlet(VerbsCommon.New, "EtlS3Notification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EtlS3Notification))]
public sealed class NewEtlS3NotificationCommand : AwsCmdlet
{
    /// <summary>
    /// <para type="description">The pipeline's name; names the topic and the configuration entry ('&lt;project&gt;-s3-noti') and the IAM policies.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Project { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The bucket whose new objects fire the pipeline.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Bucket { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Only keys under this prefix fire (e.g. 'input/'). Default: the whole bucket.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Prefix { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">Only keys ending with this fire (e.g. '.csv'). Default: any key.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string Suffix { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">S3 event types to send. Default: s3:ObjectCreated:*.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Events", "Event")]
    [ValidateNotNullOrEmpty]
    public string[] EventType { get; set; } = ["s3:ObjectCreated:*"];

    /// <summary>
    /// <para type="description">The IAM role the SNS event source and the workflow run as: an EKS node group's role (alias -NodeRoleName) or an IRSA role. It gets two inline policies: subscribe to this topic, and read the prefix / write the output prefix. Omit to manage IAM yourself.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("NodeRoleName")]
    [ValidateNotNullOrEmpty]
    public string? RoleName { get; set; }

    /// <summary>
    /// <para type="description">Where the workflow writes results, granted s3:PutObject. Default: the prefix with a leading 'input/' changed to 'output/', else the prefix.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? OutputPrefix { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var aws = OpenSession();
            var service = new S3NotificationService(aws);
            var request = new S3NotificationRequest
            {
                Project = Project,
                Bucket = Bucket,
                Prefix = Prefix,
                Suffix = Suffix,
                Events = EventType,
                RoleName = RoleName,
                OutputPrefix = OutputPrefix,
            };
            var plan = Run(ct => service.PlanCreateAsync(request, ct));
            if (plan.Changes.Count == 0)
            {
                WriteVerbose($"{plan.Result}: already in place, nothing to change.");
                WriteObject(plan.Result);
                return;
            }

            if (Approve(plan.Changes))
            {
                WriteObject(RunReporting($"Setting up S3 notifications for {Project}", plan.Changes.Count, (PlannedChange c) => $"{c.Action} on {c.Target}",
                    (progress, ct) => S3NotificationService.ApplyAsync(plan, progress, ct)));
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
