using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using ArgoEtl.Etl.Storage;

namespace ArgoEtl.Etl.Aws;

/// <summary>
/// Where and as whom to call AWS — the one description of an AWS connection that the data plane (S3 reads and writes),
/// the control plane's clients (S3, STS, SNS, IAM, ECR, EKS, ELBv2, EC2), infra and notifications share. Anything not
/// given comes from the AWS SDK's usual chain, as the AWS CLI and AWS Tools for PowerShell do: environment variables,
/// shared config/credentials profiles, SSO, container and instance roles, IRSA and EKS Pod Identity.
/// </summary>
public sealed record AwsConnection
{
    /// <summary>The region every endpoint URL (emulators, MinIO, s3rver) signs for when none is given or configured.</summary>
    public const string EndpointDefaultRegion = "us-east-1";

    /// <summary>A profile from ~/.aws/config or ~/.aws/credentials (else AWS_PROFILE, else the default chain).</summary>
    public string? ProfileName { get; init; }

    /// <summary>The region (else AWS_REGION / AWS_DEFAULT_REGION / the profile's region).</summary>
    public string? Region { get; init; }

    /// <summary>One endpoint for every service, as the AWS CLI's --endpoint-url (LocalStack-style single port; MinIO for S3).</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Explicit credentials; take precedence over the profile and the chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>S3 path-style addressing (bucket in the path). Default: on for an endpoint URL (MinIO needs it), off for AWS.</summary>
    public bool? S3ForcePathStyle { get; init; }

    /// <summary>Explicit credentials, else the profile's (AWS_PROFILE too), else null: the SDK's default chain, resolved when first used.</summary>
    public AWSCredentials? ExplicitOrProfileCredentials()
    {
        if (Credentials is not null)
        {
            return Credentials;
        }

        string? profile = ProfileName ?? Env("AWS_PROFILE");
        if (profile is null)
        {
            return null;
        }

        if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile))
        {
            return fromProfile;
        }

        throw new EtlException("AwsProfileNotFound", EtlErrorKind.Authentication, $"AWS profile '{profile}' was not found.",
            "Check the profile name in ~/.aws/config and ~/.aws/credentials, or pass -Credential (or unset AWS_PROFILE).", profile);
    }

    /// <summary>The credentials now, from wherever the chain finds them; a coded error when there are none.</summary>
    public AWSCredentials ResolveCredentials()
    {
        if (ExplicitOrProfileCredentials() is { } given)
        {
            return given;
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException ex)
        {
            throw new EtlException("AwsNoCredentials", EtlErrorKind.Authentication, "No AWS credentials were found.",
                "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, choose a profile with -ProfileName (or AWS_PROFILE), run 'aws sso login', or pass -Credential.", null, ex);
        }
    }

    /// <summary>
    /// The one region rule: -Region, else AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region; then, when the
    /// calls go to an endpoint URL (an emulator or an S3-compatible store, which only sign with it), us-east-1; else the
    /// SDK's fallback (instance metadata); else the coded error AwsNoRegion — against AWS itself a guessed region would
    /// send requests to the wrong place.
    /// </summary>
    /// <param name="service">The service whose endpoint counts (AWS_ENDPOINT_URL_&lt;SERVICE&gt;); null: only -EndpointUrl and AWS_ENDPOINT_URL.</param>
    public string ResolveRegion(string? service = null)
    {
        string? region = Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION");
        if (region is null && (ProfileName ?? Env("AWS_PROFILE")) is { } profile
            && new CredentialProfileStoreChain().TryGetProfile(profile, out var p) && p.Region is not null)
        {
            region = p.Region.SystemName;
        }

        if (region is null && ResolveEndpoint(service) is not null)
        {
            return EndpointDefaultRegion;
        }

        region ??= FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        return region ?? throw new EtlException("AwsNoRegion", EtlErrorKind.InvalidArgument, "No AWS region was given or configured.",
            "Pass -Region (--s3-region for argoetl-etl), set AWS_REGION, or set a region in the profile.");
    }

    /// <summary>The endpoint for a service: -EndpointUrl, else AWS_ENDPOINT_URL_&lt;SERVICE&gt;, else AWS_ENDPOINT_URL, else null (AWS itself).</summary>
    public Uri? ResolveEndpoint(string? service)
    {
        if (EndpointUrl is not null)
        {
            return EndpointUrl;
        }

        string? fromEnvironment = (service is null ? null : Env("AWS_ENDPOINT_URL_" + service.ToUpperInvariant())) ?? Env("AWS_ENDPOINT_URL");
        return fromEnvironment is null ? null : ParseEndpoint(fromEnvironment, "AWS_ENDPOINT_URL");
    }

    /// <summary>An endpoint URL as given on a command line or in the environment: http(s) with a host, else the coded error.</summary>
    public static Uri ParseEndpoint(string text, string source)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.Host.Length == 0)
        {
            string shown = UrlRedaction.Redact(text);
            throw new EtlException("S3EndpointInvalid", EtlErrorKind.InvalidArgument, $"The endpoint '{shown}' ({source}) is not an http:// or https:// URL.",
                "Give the endpoint as a URL, e.g. http://localhost:9000 (--s3-endpoint, -EndpointUrl or AWS_ENDPOINT_URL_S3).", shown);
        }

        return endpoint;
    }

    /// <summary>The SDK's region object for a region name (the signer wants one).</summary>
    public static RegionEndpoint RegionEndpointFor(string region) => RegionEndpoint.GetBySystemName(region);

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
