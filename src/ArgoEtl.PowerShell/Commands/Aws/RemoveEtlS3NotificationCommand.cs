using System.Management.Automation;
using ArgoEtl.Core.Changes;
using ArgoEtl.Core.Notifications;
using ArgoEtl.PowerShell.Infrastructure;

namespace ArgoEtl.PowerShell.Commands.Aws;

/// <summary>
/// <para type="synopsis">Removes a project's S3 → SNS notification: only its own configuration entry, its topic and its IAM inline policies.</para>
/// <para type="description">Unlike a script that deletes the bucket's whole notification configuration, this removes only the entry named
/// '&lt;project&gt;-s3-noti'; every other topic, queue, Lambda and EventBridge setting on the bucket stays. Then it deletes the project's
/// SNS topic and, with -RoleName, the two inline policies New-EtlS3Notification put on the role. Parts that are already gone are skipped,
/// so running it twice is not an error. Takes EtlS3Notification objects from the pipeline.</para>
/// </summary>
/// <example>
/// <code>Remove-EtlS3Notification -Project csv2json -Bucket my-etl-bucket -NodeRoleName eks-node-role</code>
/// <para>Removes the project's entry, topic and policies after asking for confirmation.</para>
/// </example>
/// <example>
/// <code>Get-EtlS3Notification -Bucket my-etl-bucket -Project csv2json | Remove-EtlS3Notification -WhatIf</code>
/// <para>Shows each AWS call the removal would make.</para>
/// </example>
[Cmdlet(VerbsCommon.Remove, "EtlS3Notification", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(EtlS3Notification))]
public sealed class RemoveEtlS3NotificationCommand : AwsCmdlet
{
    /// <summary>
    /// <para type="description">The project whose notification to remove.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Project { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The bucket the notification is on.</para>
    /// </summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Bucket { get; set; } = string.Empty;

    /// <summary>
    /// <para type="description">The role whose ArgoEtl inline policies for this project to delete. Omit to leave IAM alone.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("NodeRoleName")]
    public string? RoleName { get; set; }

    /// <summary>
    /// <para type="description">The topic to delete; default '&lt;project&gt;-s3-noti' in the caller's account and region.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? TopicArn { get; set; }

    /// <summary>
    /// <para type="description">Return an object describing what was removed.</para>
    /// </summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            using var aws = OpenSession();
            var service = new S3NotificationService(aws);
            string? role = string.IsNullOrEmpty(RoleName) ? null : RoleName;
            var plan = Run(ct => service.PlanRemoveAsync(Project, Bucket, role, TopicArn, ct));
            if (plan.Changes.Count == 0)
            {
                WriteVerbose($"Nothing of project {Project} is left on bucket {Bucket}.");
            }
            else if (Approve(plan.Changes))
            {
                RunReporting($"Removing S3 notifications for {Project}", plan.Changes.Count, (PlannedChange c) => $"{c.Action} on {c.Target}", (progress, ct) => S3NotificationService.ApplyAsync(plan, progress, ct));
            }
            else
            {
                return;
            }

            if (PassThru)
            {
                WriteObject(plan.Result);
            }
        }
        catch (EtlException ex)
        {
            WriteError(ErrorRecords.From(ex));
        }
    }
}
