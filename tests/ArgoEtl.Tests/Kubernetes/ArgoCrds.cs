using ArgoEtl.Core.Projects;
using ArgoEtl.TestServers.Kubernetes;

namespace ArgoEtl.Tests.Kubernetes;

/// <summary>The upstream CRDs for EventSource, Sensor and Workflow, put in the test API server as an earlier Install-EtlInfra would have.</summary>
internal static class ArgoCrds
{
    public static void Install(KubeStore store)
    {
        foreach (string file in new[] { "events/argoproj.io_eventsources.yaml", "events/argoproj.io_sensors.yaml", "workflows/argoproj.io_workflows.yaml" })
        {
            string path = Path.Combine(ArgoEtl.Testing.Substrates.SharedDirectory, "argo", file);
            foreach (var doc in YamlFile.Load(path))
            {
                store.Seed(YamlFile.ToJson(doc.Root)!.AsObject());
            }
        }
    }
}
