using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Kubernetes;

/// <summary>Where a kind lives in the API: apiVersion + kind → plural and scope, from discovery.</summary>
public sealed record ApiResource(string GroupVersion, string Kind, string Plural, bool Namespaced)
{
    public string Group => GroupVersion.Contains('/', StringComparison.Ordinal) ? GroupVersion[..GroupVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    /// <summary>The collection URL: /api/v1/namespaces/ns/plural or /apis/group/version/plural.</summary>
    public string Collection(string? ns)
    {
        string root = GroupVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{GroupVersion}" : $"/api/{GroupVersion}";
        return Namespaced && ns is not null ? $"{root}/namespaces/{KubeClient.Escape(ns)}/{Plural}" : $"{root}/{Plural}";
    }

    public string Item(string? ns, string name) => $"{Collection(ns)}/{KubeClient.Escape(name)}";
}

/// <summary>
/// The API server's resources, read through discovery (/api/v1, /apis and each group version) and read again when
/// CRDs have added kinds.
/// </summary>
public sealed class ResourceMap(KubeClient client)
{
    private Dictionary<(string GroupVersion, string Kind), ApiResource> _resources = [];

    public IReadOnlyCollection<ApiResource> All => _resources.Values;

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<(string, string), ApiResource>();
        var groupVersions = new List<string> { "v1" };
        var groups = await client.RequireAsync(HttpMethod.Get, "/apis", null, "application/json", "API discovery (/apis)", cancellationToken).ConfigureAwait(false);
        foreach (var group in (groups?["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            groupVersions.AddRange((group["versions"] as JsonArray ?? []).Select(v => v?["groupVersion"]?.GetValue<string>()).OfType<string>());
        }

        foreach (string gv in groupVersions)
        {
            string path = gv == "v1" ? "/api/v1" : $"/apis/{gv}";
            var list = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var resource in (list.Body?["resources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                string name = resource["name"]?.GetValue<string>() ?? string.Empty;
                if (name.Contains('/', StringComparison.Ordinal))
                {
                    continue; // subresources such as deployments/status
                }

                found[(gv, resource["kind"]!.GetValue<string>())] = new ApiResource(gv, resource["kind"]!.GetValue<string>(), name, resource["namespaced"]?.GetValue<bool>() ?? false);
            }
        }

        _resources = found;
    }

    public ApiResource? Find(string apiVersion, string kind) => _resources.GetValueOrDefault((apiVersion, kind));
}
