using System.Management.Automation;
using ArgoEtl.Etl.Aws;

namespace ArgoEtl.PowerShell.Infrastructure;

/// <summary>Where AWS calls go and as whom, as AWS Tools for PowerShell users know it: -Region, -ProfileName, -EndpointUrl.</summary>
public sealed class AwsParameters : ParameterBundle
{
    /// <summary>
    /// <para type="description">The AWS region; default from AWS_REGION, AWS_DEFAULT_REGION or the profile.</para>
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Region { get => Get<string>(); set => Set(value); }

    /// <summary>
    /// <para type="description">A profile from the shared AWS config and credentials files; default AWS_PROFILE, then the SDK's credential chain.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProfileName { get => Get<string>(); set => Set(value); }

    /// <summary>
    /// <para type="description">Send AWS calls (S3 for Invoke-EtlTransform) to this endpoint instead of AWS — an S3-compatible store such as MinIO, or an emulator — as the AWS CLI's --endpoint-url. Default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL for S3, else AWS.</para>
    /// </summary>
    [Parameter]
    public Uri? EndpointUrl { get => Get<Uri>(); set => Set(value); }

    /// <summary>The connection these parameters describe, with <paramref name="credentials"/> when the cmdlet has its own.</summary>
    public AwsConnection Connection(Amazon.Runtime.AWSCredentials? credentials = null) => new()
    {
        Region = Region,
        ProfileName = ProfileName,
        EndpointUrl = EndpointUrl,
        Credentials = credentials,
    };

    /// <summary>
    /// The connection with a cmdlet's -Credential (the access key id as user name, the secret access key as password),
    /// or the profile or chain when it is null: the one place a PSCredential becomes AWS credentials.
    /// </summary>
    public AwsConnection ConnectionWith(PSCredential? credential) => Connection(
        credential is null ? null : new Amazon.Runtime.BasicAWSCredentials(credential.UserName, credential.GetNetworkCredential().Password));
}
