using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;

namespace ArgoEtl.Core.Infra.Components;

/// <summary>Small builders for the objects components apply, and the placing of upstream manifests into a namespace.</summary>
internal static class KubeObjects
{
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass",
        "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "IngressClass",
    };

    public static JsonObject Namespace(string name) => Obj("v1", "Namespace", name, null);

    public static JsonObject Binding(string name, string ns, string role, string serviceAccount) => Obj("rbac.authorization.k8s.io/v1", "RoleBinding", name, ns, new JsonObject
    {
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "Role", ["name"] = role },
        ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = serviceAccount, ["namespace"] = ns }),
    });

    public static JsonObject Obj(string apiVersion, string kind, string name, string? ns, JsonObject? rest = null, JsonObject? annotations = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (annotations is not null)
        {
            metadata["annotations"] = annotations;
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        foreach (var (key, value) in rest ?? [])
        {
            obj[key] = value?.DeepClone();
        }

        return obj;
    }

    /// <summary>A namespaced object without a namespace goes into <paramref name="ns"/>.</summary>
    public static JsonObject Place(JsonObject obj, string ns)
    {
        if (!ClusterScoped.Contains(obj["kind"]!.GetValue<string>()) && obj["metadata"]?["namespace"] is null)
        {
            obj["metadata"]!["namespace"] = ns;
        }

        return obj;
    }

    public static IEnumerable<JsonObject> Documents(IEnumerable<YamlDocumentAt> docs) =>
        docs.Select(d => YamlFile.ToJson(d.Root)).OfType<JsonObject>().Where(o => o["kind"] is not null);
}
