using System.Text.Json.Serialization;

namespace GradientNode.Daemon.History;

/// <summary>Source-generated JSON for <c>GET /v1/history</c> (<see cref="HistoryEndpoints"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, List<HistorySample>>))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
