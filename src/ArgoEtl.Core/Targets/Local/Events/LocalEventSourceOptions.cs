namespace ArgoEtl.Core.Targets.Local.Events;

/// <summary>What running event sources need from the local target around them.</summary>
public sealed record LocalEventSourceOptions
{
    /// <summary>Relative file-source directories are resolved against this folder (the project or state folder).</summary>
    public string BaseDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>Resolves authSecret and other Secret references; null means no Secret is available (an error when one is named).</summary>
    public SecretResolver? Secrets { get; init; }

    /// <summary>The shared HTTP servers for webhook and sns events; one is created per source when null.</summary>
    public WebhookRouter? Router { get; init; }

    /// <summary>The client the sns source confirms subscriptions with (GET SubscribeURL); a default one when null.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The SNS endpoint sns sources subscribe at when their spec names none (a local SNS); null: AWS_ENDPOINT_URL_SNS / AWS_ENDPOINT_URL, else none.</summary>
    public Uri? SnsEndpoint { get; init; }

    /// <summary>How long the generic source waits between dials, 5 s as upstream.</summary>
    public TimeSpan GenericRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Verify SNS message signatures when the spec sets validateSignature (upstream fetches AWS's signing certificate
    /// from SigningCertURL, which must be https on an sns.*.amazonaws.com host). Off by default locally, where no AWS
    /// is reachable and local SNS stand-ins do not sign; then validateSignature is reported at verbose level.
    /// </summary>
    public bool VerifySnsSignatures { get; init; }

    /// <summary>
    /// Fetches the PEM certificate at a SigningCertURL when verifying SNS signatures; an HTTP GET with
    /// <see cref="HttpClient"/> when null. A stand-in lets verification run where AWS's host cannot be reached.
    /// </summary>
    public Func<Uri, CancellationToken, Task<string>>? SnsSigningCertificates { get; init; }

    /// <summary>The local store's region, principal and URL, as they appear in MinIO records.</summary>
    public string StoreRegion { get; init; } = "us-east-1";

    public string StorePrincipal { get; init; } = S3EventRecords.LocalPrincipal;

    public string StoreEndpoint { get; init; } = "http://127.0.0.1:9000";

    /// <summary>Verbose messages (an event that matched nothing, a dial that failed and will be retried).</summary>
    public Action<string>? Verbose { get; init; }

    internal string ResolveSecret(SecretKeyReference reference, EventSourceDefinition owner) =>
        Secrets is { } secrets
            ? secrets(reference)
            : throw new EtlException(EtlErrors.LocalSecretMissing, $"{reference.Where}: {owner} names {reference}, and no Secrets are available to the local event sources.",
                "Provide the Secret in the project's manifests (or let the platform generate it).", reference.Where);
}
