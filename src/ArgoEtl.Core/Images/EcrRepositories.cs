using ArgoEtl.Core.Aws;

namespace ArgoEtl.Core.Images;

/// <summary>What to do about ECR repositories that do not exist yet: refuse, or create them with these settings.</summary>
public sealed record EcrRepositoryPolicy(bool Create = false, bool ScanOnPush = false, bool ImmutableTags = false);

/// <summary>
/// Amazon ECR as an image destination: the registry login from GetAuthorizationToken, and a repository for every image
/// (ECR, unlike a plain registry, does not create one on the first push).
/// </summary>
public static class EcrRepositories
{
    /// <summary>Logs in to the session's ECR registry and makes sure each of <paramref name="repositories"/> exists.</summary>
    /// <exception cref="EtlException">EcrRepositoryMissing when one does not exist and <paramref name="policy"/> does not create it.</exception>
    public static async Task<ImageDestination> PrepareAsync(AwsSession aws, IReadOnlyList<string> repositories, EcrRepositoryPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(policy);
        var login = await aws.Ecr.LoginAsync(cancellationToken).ConfigureAwait(false);
        foreach (string repository in repositories)
        {
            if (await aws.Ecr.RepositoryUriAsync(repository, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            if (!policy.Create)
            {
                throw new EtlException(EtlErrors.EcrRepositoryMissing, $"ECR repository '{repository}' does not exist in {login.Registry}.",
                    "Pass -CreateRepository to create it, or create it with the AWS console or CLI.", repository);
            }

            await aws.Ecr.CreateRepositoryAsync(repository, policy.ScanOnPush, policy.ImmutableTags, cancellationToken).ConfigureAwait(false);
        }

        return new ImageDestination(login.Registry, null, login.Credentials);
    }
}
