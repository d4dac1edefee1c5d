using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;

namespace ArgoEtl.Core.Aws;

/// <summary>
/// Where and as whom to call AWS. Anything not given comes from the AWS SDK's usual chain, as the AWS CLI and AWS Tools
/// for PowerShell do: environment variables, shared config/credentials profiles, SSO, container and instance roles, IRSA.
/// </summary>
public sealed record AwsConnection
{
    /// <summary>A profile from ~/.aws/config or ~/.aws/credentials (else AWS_PROFILE, else the default chain).</summary>
    public string? ProfileName { get; init; }

    /// <summary>The region (else AWS_REGION / AWS_DEFAULT_REGION / the profile's region).</summary>
    public string? Region { get; init; }

    /// <summary>One endpoint for every service, as the AWS CLI's --endpoint-url (LocalStack-style single port).</summary>
    public Uri? EndpointUrl { get; init; }

    /// <summary>Explicit credentials; take precedence over the profile and the chain.</summary>
    public AWSCredentials? Credentials { get; init; }

    internal AWSCredentials ResolveCredentials()
    {
        if (Credentials is not null)
        {
            return Credentials;
        }

        string? profile = ProfileName ?? Env("AWS_PROFILE");
        if (profile is not null)
        {
            if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile))
            {
                return fromProfile;
            }

            throw new EtlException(EtlErrors.AwsProfileNotFound, $"AWS profile '{profile}' was not found.",
                "Check the profile name in ~/.aws/config and ~/.aws/credentials, or pass -Credential.", profile);
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException ex)
        {
            throw new EtlException(EtlErrors.AwsNoCredentials, "No AWS credentials were found.",
                "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, choose a profile with -ProfileName (or AWS_PROFILE), run 'aws sso login', or pass -Credential.", null, ex);
        }
    }

    internal string ResolveRegion()
    {
        string? region = Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION");
        if (region is null && (ProfileName ?? Env("AWS_PROFILE")) is { } profile
            && new CredentialProfileStoreChain().TryGetProfile(profile, out var p) && p.Region is not null)
        {
            region = p.Region.SystemName;
        }

        region ??= FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        return region ?? throw new EtlException(EtlErrors.AwsNoRegion, "No AWS region was given or configured.",
            "Pass -Region, set AWS_REGION, or set a region in the profile.");
    }

    /// <summary>The endpoint for a service: -EndpointUrl, else AWS_ENDPOINT_URL_&lt;SERVICE&gt;, else AWS_ENDPOINT_URL, else AWS itself.</summary>
    internal Uri? ResolveEndpoint(string service)
    {
        string? fromEnvironment = Env("AWS_ENDPOINT_URL_" + service.ToUpperInvariant()) ?? Env("AWS_ENDPOINT_URL");
        return EndpointUrl ?? (fromEnvironment is null ? null : new Uri(fromEnvironment));
    }

    internal static RegionEndpoint RegionEndpointFor(string region) => RegionEndpoint.GetBySystemName(region);

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
