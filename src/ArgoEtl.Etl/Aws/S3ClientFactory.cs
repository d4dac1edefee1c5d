using Amazon.Runtime;
using Amazon.S3;

namespace ArgoEtl.Etl.Aws;

/// <summary>
/// The one way an AmazonS3Client is built, for the data plane, the notifications, infra and the local target alike:
/// checksums only when required and no aws-chunked framing trouble (non-AWS stores reject or mis-store the SDK's
/// defaults), standard retries, path-style addressing for endpoint URLs, and the region from <see cref="AwsConnection.ResolveRegion"/>.
/// </summary>
public static class S3ClientFactory
{
    /// <param name="connection">Where and as whom.</param>
    /// <param name="credentials">Credentials already resolved by the caller (a session); null takes the connection's, else the SDK chain lazily.</param>
    /// <param name="maxErrorRetry">Retries per request.</param>
    public static AmazonS3Client Create(AwsConnection connection, AWSCredentials? credentials = null, int maxErrorRetry = 5)
    {
        ArgumentNullException.ThrowIfNull(connection);
        string region = connection.ResolveRegion("s3");
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = maxErrorRetry,
            RetryMode = RequestRetryMode.Standard,
        };
        if (connection.ResolveEndpoint("s3") is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
            config.ForcePathStyle = connection.S3ForcePathStyle ?? true;
        }
        else
        {
            config.RegionEndpoint = AwsConnection.RegionEndpointFor(region);
            config.ForcePathStyle = connection.S3ForcePathStyle ?? false;
        }

        // Without explicit or profile credentials the client resolves the SDK chain itself, at the first request, so a
        // store that needs none yet (a failing endpoint, a usage error) reports its own error first.
        return (credentials ?? connection.ExplicitOrProfileCredentials()) is { } resolved ? new AmazonS3Client(resolved, config) : new AmazonS3Client(config);
    }

    /// <summary>"scheme://host:port" of where S3 calls go, for messages (no userinfo, no path).</summary>
    public static string Describe(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.ResolveEndpoint("s3") is { } endpoint ? $"{endpoint.Scheme}://{endpoint.Authority}" : "the AWS S3 endpoint";
    }
}
