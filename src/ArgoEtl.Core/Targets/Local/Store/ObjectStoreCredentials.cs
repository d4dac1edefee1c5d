using System.Security.Cryptography;

namespace ArgoEtl.Core.Targets.Local.Store;

/// <summary>
/// The access key and secret the local object store accepts. <see cref="ToString"/> shows only the access key id,
/// so the secret never lands in a log, a transcript or an error message by accident.
/// </summary>
public sealed class ObjectStoreCredentials
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public ObjectStoreCredentials(string accessKeyId, string secretAccessKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretAccessKey);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
    }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    /// <summary>A fresh pair shaped like AWS's (20-character key id, 40-character secret), from a cryptographic RNG.</summary>
    public static ObjectStoreCredentials Generate() =>
        new("AKLOCAL" + RandomNumberGenerator.GetString(KeyAlphabet, 13),
            RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40));

    public override string ToString() => $"{AccessKeyId} (secret hidden)";
}
