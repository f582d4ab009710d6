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
