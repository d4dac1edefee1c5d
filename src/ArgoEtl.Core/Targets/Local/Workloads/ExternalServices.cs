using System.Globalization;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// Services that stand for a server outside the cluster, in the two ways Kubernetes has for it: a Service without a
/// selector plus Endpoints of the same name (address and port of the server), or an ExternalName Service (a host
/// name, same ports). Their in-cluster addresses (name:port) are mapped to that server, so a step's
/// <c>ftp://vsftpd:21/...</c> reaches the FTP server the user runs. A selector-less Service without Endpoints maps to
/// nothing and is reported when something dials it.
/// </summary>
public static class ExternalServices
{
    public static void Map(IEnumerable<ManifestDocument> documents, LocalResources resources)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(resources);
        var all = documents.ToList();
        foreach (var service in all.Where(d => d.Kind == "Service"))
        {
            var spec = service.Object["spec"] as JsonObject ?? [];
            var ports = (spec["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if ((string?)spec["type"] == "ExternalName" && (string?)spec["externalName"] is { Length: > 0 } host)
            {
                foreach (var port in ports)
                {
                    if (Number(port["port"]) is { } number)
                    {
                        resources.MapService(service.Name, number, new Uri($"tcp://{host}:{number.ToString(CultureInfo.InvariantCulture)}"));
                    }
                }

                continue;
            }

            if (spec["selector"] is JsonObject { Count: > 0 })
            {
                continue;
            }

            var endpoints = all.FirstOrDefault(d => d.Kind == "Endpoints" && d.Name == service.Name);
            var subset = endpoints?.Object["subsets"]?[0] as JsonObject;
            if ((string?)subset?["addresses"]?[0]?["ip"] is not { Length: > 0 } ip)
            {
                continue;
            }

            var targets = (subset["ports"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            foreach (var port in ports)
            {
                // Kubernetes pairs a Service port with the Endpoints port of the same name (or the only one).
                var target = targets.FirstOrDefault(t => (string?)t["name"] == (string?)port["name"]) ?? (targets.Count == 1 ? targets[0] : null);
                if (Number(port["port"]) is { } number && Number(target?["port"]) is { } targetPort)
                {
                    string address = ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip;
                    resources.MapService(service.Name, number, new Uri($"tcp://{address}:{targetPort.ToString(CultureInfo.InvariantCulture)}"));
                }
            }
        }
    }

    internal static int? Number(JsonNode? node) =>
        node is JsonValue v && int.TryParse(v.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
}
