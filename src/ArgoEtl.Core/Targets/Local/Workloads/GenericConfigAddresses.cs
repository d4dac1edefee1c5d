using System.Globalization;
using System.Text.Json.Nodes;
using ArgoEtl.Core.Projects;
using ArgoEtl.Core.Targets.Local.Steps;

namespace ArgoEtl.Core.Targets.Local.Workloads;

/// <summary>
/// A generic EventSource's config is read by the server it dials, which resolves in-cluster names and its own
/// container paths. Locally that server is a host process: the config it is sent gets the same rewrites as its args —
/// Service addresses to local ones (as <c>name:port</c> text, and as a <c>host</c> + <c>port</c> pair of one mapping,
/// which is how server configs such as the FTP event server's name an address), and the process's mount paths to their
/// folders (a checkpoint file on a volume). A config that needs no rewrite is sent exactly as written.
/// </summary>
public static class GenericConfigAddresses
{
    public static string Rewrite(string config, Func<string, string> addresses, IReadOnlyList<StepMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(mounts);
        string Map(string text) => StepPaths.ToHost(mounts, addresses(text));
        JsonNode? parsed;
        try
        {
            parsed = YamlFile.Parse(config, "config") is [var document] ? YamlFile.ToJson(document.Root) : null;
        }
        catch (EtlException)
        {
            parsed = null;
        }

        if (parsed is not JsonObject root)
        {
            string mapped = Map(config);
            return mapped;
        }

        bool changed = Visit(root, Map, addresses);
        return changed ? root.ToJsonString() : config;
    }

    private static bool Visit(JsonNode node, Func<string, string> map, Func<string, string> addresses)
    {
        bool changed = false;
        switch (node)
        {
            case JsonObject obj:
                if ((string?)Text(obj["host"]) is { } host && Text(obj["port"]) is { } port)
                {
                    string address = $"{host}:{port}";
                    string local = addresses(address);
                    int colon = local.LastIndexOf(':');
                    if (local != address && colon > 0 && int.TryParse(local[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int localPort))
                    {
                        obj["host"] = local[..colon].Trim('[', ']');
                        obj["port"] = localPort;
                        changed = true;
                    }
                }

                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue(out string? text))
                    {
                        string mapped = map(text);
                        if (mapped != text)
                        {
                            obj[key] = mapped;
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= Visit(child, map, addresses);
                    }
                }

                break;
            case JsonArray list:
                for (int i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonValue value && value.TryGetValue(out string? text))
                    {
                        string mapped = map(text);
                        if (mapped != text)
                        {
                            list[i] = mapped;
                            changed = true;
                        }
                    }
                    else if (list[i] is { } child)
                    {
                        changed |= Visit(child, map, addresses);
                    }
                }

                break;
        }

        return changed;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;
}
