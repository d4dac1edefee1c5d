using System.Text.Json.Serialization;
using ArgoEtl.Etl.Transform;

namespace ArgoEtl.Etl.Cli;

/// <summary>Source-generated JSON for the CLI's result lines (no reflection at startup).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EtlResult))]
internal sealed partial class CliJson : JsonSerializerContext;
