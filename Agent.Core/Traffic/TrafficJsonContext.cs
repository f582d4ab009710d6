using System.Text.Json.Serialization;

namespace GradientNode.Core.Traffic;

/// <summary>Source-generated JSON for <c>proxy-stats.json</c>, the stats file the proxy role writes and the daemon reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(TrafficSnapshot))]
internal sealed partial class TrafficJsonContext : JsonSerializerContext;
