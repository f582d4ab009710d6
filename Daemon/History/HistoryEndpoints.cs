using System.Text.Json.Serialization;

namespace GradientNode.Daemon.History;

/// <summary><c>GET /v1/history</c>: the last hour of every deployment's samples (docs/reference/api.md).</summary>
internal static class HistoryEndpoints
{
    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/v1/history", (DeploymentHistory history) =>
    {
        var body = history.Snapshot().ToDictionary(
            h => h.Key,
            h => h.Value.Select(p => new HistorySample(p.At, p.RequestsPerSecond, p.AverageDurationSeconds, p.P50DurationSeconds, p.P99DurationSeconds, p.Ready, p.Desired)).ToList(),
            StringComparer.Ordinal);
        return Results.Text(System.Text.Json.JsonSerializer.Serialize(body, HistoryJsonContext.Default.DictionaryStringListHistorySample), "application/json");
    });
}

/// <summary>One sample on the wire: <c>{at, requestsPerSecond, averageDurationSeconds, p50DurationSeconds, p99DurationSeconds, ready, desired}</c>.</summary>
internal sealed record HistorySample(long At, float RequestsPerSecond, float AverageDurationSeconds, float P50DurationSeconds, float P99DurationSeconds, int Ready, int Desired);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, List<HistorySample>>))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;
