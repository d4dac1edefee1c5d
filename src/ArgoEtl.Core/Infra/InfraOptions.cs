namespace ArgoEtl.Core.Infra;

/// <summary>What Install-EtlInfra installs, with tested, pinned defaults.</summary>
public sealed record InfraOptions
{
    public const string ProjectName = "argoetl-infra";

    /// <summary>A folder with local copies of the manifests (air-gapped clusters, tests): events/install.yaml, and
    /// workflows/install.yaml or workflows/argoproj.io_*.yaml plus workflows/install-no-crds.yaml. Null downloads the pinned releases.</summary>
    public string? ManifestSource { get; init; }

    public string ArgoEventsVersion { get; init; } = "v1.9.6";

    public string ArgoWorkflowsVersion { get; init; } = "v4.1.2";

    /// <summary>The EventBus's JetStream version (one the Argo Events release supports; NATS streaming is deprecated upstream).</summary>
    public string JetStreamVersion { get; init; } = "2.10.10";

    /// <summary>The S3-compatible object store's image. Upstream MinIO was archived in 2026: pin the build you trust, by digest.</summary>
    public string ObjectStoreImage { get; init; } = "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z";

    public string ObjectStoreUser { get; init; } = "admin";

    public string ArtifactBucket { get; init; } = "artifacts";

    /// <summary>Where this machine reaches the object store's S3 API to create the bucket; null port-forwards to its service through the API server.</summary>
    public Uri? ObjectStoreEndpoint { get; init; }

    public string EventsNamespace { get; init; } = "argo-events";

    public string WorkflowsNamespace { get; init; } = "argo";

    public Uri ArgoEventsUrl => new($"https://github.com/argoproj/argo-events/releases/download/{ArgoEventsVersion}/install.yaml");

    public Uri ArgoWorkflowsUrl => new($"https://github.com/argoproj/argo-workflows/releases/download/{ArgoWorkflowsVersion}/install.yaml");
}
