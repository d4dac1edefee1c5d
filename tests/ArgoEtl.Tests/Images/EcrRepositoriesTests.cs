using ArgoEtl.Core.Images;
using ArgoEtl.Tests.Aws;

namespace ArgoEtl.Tests.Images;

/// <summary>ECR as a destination, against the local AWS endpoint (signatures checked, repositories kept as state).</summary>
public sealed class EcrRepositoriesTests
{
    [Fact]
    public async Task A_missing_repository_is_refused_unless_creation_is_asked_for()
    {
        await using var aws = await LocalAws.StartAsync();
        aws.State.ConfigureEcr(new Uri("http://127.0.0.1:5999"), "AWS", Guid.NewGuid().ToString("N"));
        using var session = aws.Session();

        var ex = await Assert.ThrowsAsync<EtlException>(() => EcrRepositories.PrepareAsync(session, ["etl-a"], new EcrRepositoryPolicy(), default));
        Assert.Equal("EcrRepositoryMissing", ex.Code);
        Assert.Equal("etl-a", ex.Target);
        Assert.Empty(aws.State.Repositories());
        Assert.DoesNotContain(aws.State.Calls, c => c.Action == "CreateRepository");
    }

    [Fact]
    public async Task Creation_makes_each_missing_repository_once_and_returns_the_registry_login()
    {
        await using var aws = await LocalAws.StartAsync();
        string password = Guid.NewGuid().ToString("N");
        aws.State.ConfigureEcr(new Uri("http://127.0.0.1:5999"), "AWS", password);
        using var session = aws.Session();
        var policy = new EcrRepositoryPolicy(Create: true, ScanOnPush: true, ImmutableTags: true);

        var destination = await EcrRepositories.PrepareAsync(session, ["etl-a", "etl-b"], policy, default);
        Assert.Equal("127.0.0.1:5999", destination.Registry);
        Assert.Equal(password, destination.Credentials!.Password);
        Assert.Equal((true, "IMMUTABLE"), aws.State.Repositories()["etl-b"]);

        await EcrRepositories.PrepareAsync(session, ["etl-a", "etl-b"], policy, default);
        Assert.Equal(2, aws.State.Calls.Count(c => c.Action == "CreateRepository"));
    }
}
