using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using ArgoEtl.Etl.Aws;

namespace ArgoEtl.Core.Aws;

/// <summary>The account the caller acts as, from STS GetCallerIdentity.</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>
/// The one connection → client factory: credentials, region and endpoints resolved once from an <see cref="AwsConnection"/>
/// (the same record the data plane uses), and every client built from them — AWSSDK.S3 through <see cref="S3ClientFactory"/>
/// and AWSSDK.SecurityToken where they exist, and small SigV4-signed clients for SNS, IAM, ECR, EKS, ELBv2 and EC2, which
/// are not served here. Notifications, infra and publishing all take a session, so they agree on region and endpoint.
/// </summary>
public sealed class AwsSession : IDisposable
{
    private readonly AWSCredentials _credentials;
    private readonly SignedHttpClient _queryHttp;
    private readonly SignedHttpClient _jsonHttp;
    private readonly SignedHttpClient _restJsonHttp;
    private AmazonS3Client? _s3;

    /// <param name="connection">Where and as whom.</param>
    /// <param name="handler">The HTTP handler under the signed clients (tests put a fault-injecting proxy here); null: the default.</param>
    public AwsSession(AwsConnection connection, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Region = connection.ResolveRegion();
        _credentials = connection.ResolveCredentials();
        _queryHttp = new SignedHttpClient(_credentials, AwsQueryClient.ParseError, handler);
        _jsonHttp = new SignedHttpClient(_credentials, AwsJsonClient.ParseError, handler);
        _restJsonHttp = new SignedHttpClient(_credentials, AwsRestJsonClient.ParseError, handler);
        Sns = new SnsClient(new AwsQueryClient(_queryHttp, "sns", "2010-03-31", EndpointFor("sns"), Region));
        Iam = new IamClient(new AwsQueryClient(_queryHttp, "iam", "2010-05-08", EndpointFor("iam"), IamSigningRegion), Partition);
        Ecr = new EcrClient(new AwsJsonClient(_jsonHttp, "ecr", "AmazonEC2ContainerRegistry_V20150921", EndpointFor("ecr"), Region));
        Eks = new EksClient(new AwsRestJsonClient(_restJsonHttp, "eks", EndpointFor("eks"), Region));
        Elb = new ElbClient(new AwsQueryClient(_queryHttp, "elasticloadbalancing", "2015-12-01", EndpointFor("elasticloadbalancing"), Region));
        Ec2 = new Ec2Client(new AwsQueryClient(_queryHttp, "ec2", "2016-11-15", EndpointFor("ec2"), Region) { ResultIsRoot = true });
    }

    /// <summary>What this session was opened with (for building further clients the same way).</summary>
    public AwsConnection Connection { get; }

    public string Region { get; }

    /// <summary>aws, aws-cn or aws-us-gov: the first part of every ARN in this region.</summary>
    public string Partition => PartitionOf(Region);

    /// <summary>The DNS suffix of this partition's endpoints (amazonaws.com, amazonaws.com.cn).</summary>
    public string DnsSuffix => Partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";

    public SnsClient Sns { get; }

    public IamClient Iam { get; }

    public EcrClient Ecr { get; }

    public EksClient Eks { get; }

    public ElbClient Elb { get; }

    public Ec2Client Ec2 { get; }

    public AmazonS3Client S3 => _s3 ??= S3ClientFactory.Create(Connection with { Region = Region }, _credentials, maxErrorRetry: 4);

    public static string PartitionOf(string region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
    }

    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 4 };
        if (Connection.ResolveEndpoint("sts") is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Region;
        }
        else
        {
            config.RegionEndpoint = AwsConnection.RegionEndpointFor(Region);
        }

        using var sts = new AmazonSecurityTokenServiceClient(_credentials, config);
        try
        {
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
            return new CallerIdentity(identity.Account, identity.Arn, identity.UserId);
        }
        catch (Exception ex) when (SignedHttpClient.IsConnectionFailure(ex))
        {
            throw SignedHttpClient.Unreachable("sts", EndpointFor("sts"), ex);
        }
        catch (AmazonServiceException ex)
        {
            throw new AwsServiceException("sts", "GetCallerIdentity", ex.StatusCode, ex.ErrorCode ?? "Unknown", ex.Message)
                .ToEtlException("Checking the AWS credentials (STS GetCallerIdentity)", null);
        }
        catch (AmazonClientException ex)
        {
            throw new EtlException(EtlErrors.AwsNoCredentials, $"The AWS credentials could not be used: {ex.Message}",
                "Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, choose a profile with -ProfileName, or pass -Credential.", null, ex);
        }
    }

    /// <summary>The error for a service whose endpoint did not answer, naming the endpoint this session uses for it.</summary>
    public EtlException Unreachable(string service, Exception cause) => SignedHttpClient.Unreachable(service, EndpointFor(service), cause);

    public void Dispose()
    {
        _s3?.Dispose();
        _queryHttp.Dispose();
        _jsonHttp.Dispose();
        _restJsonHttp.Dispose();
    }

    // IAM is global: one endpoint per partition, signed for that partition's home region.
    private string IamSigningRegion => Partition switch
    {
        "aws-cn" => "cn-north-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    };

    /// <summary>Where calls to a service go: the connection's endpoint URL, else the service's regional AWS endpoint.</summary>
    public Uri EndpointFor(string service) => Connection.ResolveEndpoint(service) ?? (service, Partition) switch
    {
        ("iam", "aws-cn") => new Uri("https://iam.cn-north-1.amazonaws.com.cn/"),
        ("iam", "aws-us-gov") => new Uri("https://iam.us-gov.amazonaws.com/"),
        ("iam", _) => new Uri("https://iam.amazonaws.com/"),
        ("ecr", _) => new Uri($"https://api.ecr.{Region}.{DnsSuffix}/"),
        _ => new Uri($"https://{service}.{Region}.{DnsSuffix}/"),
    };
}
