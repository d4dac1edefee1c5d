using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ArgoEtl.Core.Targets.Local.Sensors;

/// <summary>Compact JSON text of a node with only the escapes JSON requires (as the bytes an event carries would be).</summary>
internal static class JsonText
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = false };

    public static string Write(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);
}
