using System.Text.Json.Serialization;

namespace GradientNode.Core.Metrics;

/// <summary>Source-generated JSON for <c>proxy-stats.json</c>, the stats file the proxy role writes and the daemon reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ProxyStats))]
internal sealed partial class MetricsJsonContext : JsonSerializerContext;
