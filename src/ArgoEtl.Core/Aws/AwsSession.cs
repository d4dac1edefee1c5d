using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace ArgoEtl.Core.Aws;

/// <summary>The account the caller acts as, from STS GetCallerIdentity.</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>
/// Resolved credentials, region and endpoints, and the clients built from them: AWSSDK.S3 and AWSSDK.SecurityToken
/// where they exist, and small SigV4-signed clients for SNS and IAM (and later ECR and EKS), which are not served here.
/// </summary>
public sealed class AwsSession : IDisposable
{
    private readonly AWSCredentials _credentials;
    private readonly AwsConnection _connection;
    private readonly SignedHttpClient _http;
    private readonly SignedHttpClient _jsonHttp;
    private AmazonS3Client? _s3;

    public AwsSession(AwsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        Region = connection.ResolveRegion();
        _credentials = connection.ResolveCredentials();
        _http = new SignedHttpClient(_credentials, AwsQueryClient.ParseError);
        Sns = new SnsClient(new AwsQueryClient(_http, "sns", "2010-03-31", EndpointFor("sns"), Region));
        Iam = new IamClient(new AwsQueryClient(_http, "iam", "2010-05-08", EndpointFor("iam"), IamSigningRegion));
        _jsonHttp = new SignedHttpClient(_credentials, AwsJsonClient.ParseError);
        Ecr = new EcrClient(new AwsJsonClient(_jsonHttp, "ecr", "AmazonEC2ContainerRegistry_V20150921", EndpointFor("ecr"), Region));
    }

    public string Region { get; }

    /// <summary>aws, aws-cn or aws-us-gov: the first part of every ARN in this region.</summary>
    public string Partition => Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    public SnsClient Sns { get; }

    public IamClient Iam { get; }

    public EcrClient Ecr { get; }

    public AmazonS3Client S3 => _s3 ??= CreateS3();

    public async Task<CallerIdentity> GetCallerIdentityAsync(CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig { MaxErrorRetry = 4 };
        if (_connection.ResolveEndpoint("sts") is { } endpoint)
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
        _http.Dispose();
        _jsonHttp.Dispose();
    }

    // IAM is global: one endpoint per partition, signed for that partition's home region.
    private string IamSigningRegion => Partition switch
    {
        "aws-cn" => "cn-north-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => "us-east-1",
    };

    private Uri EndpointFor(string service) => _connection.ResolveEndpoint(service) ?? (service, Partition) switch
    {
        ("iam", "aws-cn") => new Uri("https://iam.cn-north-1.amazonaws.com.cn/"),
        ("iam", "aws-us-gov") => new Uri("https://iam.us-gov.amazonaws.com/"),
        ("iam", _) => new Uri("https://iam.amazonaws.com/"),
        ("ecr", "aws-cn") => new Uri($"https://api.ecr.{Region}.amazonaws.com.cn/"),
        ("ecr", _) => new Uri($"https://api.ecr.{Region}.amazonaws.com/"),
        ("sts", "aws") => new Uri($"https://sts.{Region}.amazonaws.com/"),
        (_, "aws-cn") => new Uri($"https://{service}.{Region}.amazonaws.com.cn/"),
        _ => new Uri($"https://{service}.{Region}.amazonaws.com/"),
    };

    private AmazonS3Client CreateS3()
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 4,
            RetryMode = RequestRetryMode.Standard,
        };
        if (_connection.ResolveEndpoint("s3") is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Region;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = AwsConnection.RegionEndpointFor(Region);
        }

        return new AmazonS3Client(_credentials, config);
    }
}
