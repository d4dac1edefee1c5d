namespace ArgoEtl.TestServers.Kubernetes;

/// <summary>A resource the test API server serves: built in, or added by a CustomResourceDefinition.</summary>
public sealed record KubeResourceType(string Group, string Version, string Kind, string Plural, string Singular, bool Namespaced, IReadOnlyList<string> ShortNames)
{
    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The kinds a real cluster has that our installs and kubectl touch.</summary>
    public static IReadOnlyList<KubeResourceType> BuiltIn { get; } =
    [
        new("", "v1", "Namespace", "namespaces", "namespace", false, ["ns"]),
        new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, ["sa"]),
        new("", "v1", "ConfigMap", "configmaps", "configmap", true, ["cm"]),
        new("", "v1", "Secret", "secrets", "secret", true, []),
        new("", "v1", "Service", "services", "service", true, ["svc"]),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, ["pvc"]),
        new("", "v1", "Pod", "pods", "pod", true, ["po"]),
        new("", "v1", "Event", "events", "event", true, ["ev"]),
        new("apps", "v1", "Deployment", "deployments", "deployment", true, ["deploy"]),
        new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, ["sts"]),
        new("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true, ["ds"]),
        new("batch", "v1", "Job", "jobs", "job", true, []),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", "role", true, []),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", "rolebinding", true, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "clusterrole", false, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, []),
        new("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", false, ["pc"]),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", "customresourcedefinition", false, ["crd", "crds"]),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true, ["ing"]),
    ];
}
