namespace ArgoEtl.Etl.Storage;

/// <summary>
/// How to reach S3 or an S3-compatible store (MinIO, s3rver). Unset values come from the AWS SDK's usual sources:
/// AWS_* environment variables, shared config/credentials profiles, SSO, instance and IRSA roles.
/// </summary>
public sealed record S3Settings
{
    /// <summary>A non-AWS endpoint such as http://minio:9000; also read from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL.</summary>
    public string? EndpointUrl { get; init; }

    public string? Region { get; init; }

    /// <summary>Path-style addressing (bucket in the path); on by default for custom endpoints, as MinIO needs.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>A profile from the shared AWS config/credentials files.</summary>
    public string? ProfileName { get; init; }

    /// <summary>Settings with the AWS CLI's environment variables applied where a value was not given.</summary>
    public S3Settings WithEnvironmentDefaults() => this with
    {
        EndpointUrl = EndpointUrl ?? Env("AWS_ENDPOINT_URL_S3") ?? Env("AWS_ENDPOINT_URL"),
        Region = Region ?? Env("AWS_REGION") ?? Env("AWS_DEFAULT_REGION"),
        ProfileName = ProfileName ?? Env("AWS_PROFILE"),
    };

    private static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
