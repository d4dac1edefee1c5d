using Amazon.Runtime;
using Amazon.S3;
using ArgoEtl.Testing;

namespace ArgoEtl.Tests.Substrates;

/// <summary>One s3rver per test class that asks for it; stopped after the class, pass or fail.</summary>
public sealed class S3rverFixture : IDisposable
{
    public S3rverFixture()
    {
        Server = ArgoEtl.Testing.Substrates.StartS3rver();
        Client = new AmazonS3Client(new BasicAWSCredentials(S3rver.AccessKey, S3rver.SecretKey), new AmazonS3Config
        {
            ServiceURL = Server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public S3rver Server { get; }

    public AmazonS3Client Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VsftpdWithUserFixture : IDisposable
{
    public Vsftpd Server { get; } = ArgoEtl.Testing.Substrates.StartVsftpdWithUser();

    public void Dispose() => Server.Dispose();
}

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class VsftpdFixture : IDisposable
{
    public Vsftpd Server { get; } = ArgoEtl.Testing.Substrates.StartVsftpd();

    public void Dispose() => Server.Dispose();
}

public sealed class RegistryFixture : IDisposable
{
    public Registry Server { get; } = ArgoEtl.Testing.Substrates.StartRegistry();

    public void Dispose() => Server.Dispose();
}
