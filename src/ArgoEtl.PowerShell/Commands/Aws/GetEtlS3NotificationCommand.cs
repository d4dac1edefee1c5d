using System.Management.Automation;
using ArgoEtl.Core.Notifications;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Aws;

/// <summary>
/// <para type="synopsis">Reads back the S3 → SNS notifications ArgoEtl set up, and reports drift from what New-EtlS3Notification creates.</para>
/// <para type="description">Finds projects from the bucket's configuration entries named '&lt;project&gt;-s3-noti' and from the topics' policies,
/// and checks each part: the configuration entry, the SNS topic, the topic policy that lets S3 publish, and (with -RoleName) the
/// role's inline policies. Drift lists what is missing, e.g. TopicMissing or ConfigurationMissing. Other tools' entries are not reported.</para>
/// </summary>
/// <example>
/// <code>Get-EtlS3Notification -Bucket my-etl-bucket</code>
/// <para>Lists every ArgoEtl project notifying from the bucket, with any drift.</para>
/// </example>
/// <example>
/// <code>Get-EtlS3Notification -Project csv2json | Remove-EtlS3Notification</code>
/// <para>Finds a project's notification wherever it is and removes it.</para>
/// </example>
[Cmdlet(VerbsCommon.Get, "EtlS3Notification")]
[OutputType(typeof(EtlS3Notification))]
public sealed class GetEtlS3NotificationCommand : AwsCmdlet
{
    /// <summary>
    /// <para type="description">The bucket to look at. Without it, buckets are found from the projects' SNS topic policies.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Bucket { get; set; }

    /// <summary>
    /// <para type="description">Only this project. Without it, every ArgoEtl project (topics named '*-s3-noti') is reported.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Project { get; set; }

    /// <summary>
    /// <para type="description">Also check this role's inline policies for each project.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("NodeRoleName")]
    [ValidateNotNullOrEmpty]
    public string? RoleName { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var aws = OpenSession();
            var service = new S3NotificationService(aws);
            foreach (var found in Run(ct => service.GetAsync(Bucket, Project, RoleName, ct)))
            {
                if (found.Drift.Count > 0)
                {
                    WriteWarning($"{found.Project} on bucket {found.Bucket}: {string.Join(", ", found.Drift)}. Run New-EtlS3Notification again to repair it, or Remove-EtlS3Notification to clean up.");
                }

                WriteObject(found);
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
