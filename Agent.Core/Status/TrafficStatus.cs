namespace GradientNode.Core.Status;

/// <summary>
/// What the proxy saw of one deployment (from <c>proxy-stats.json</c>): counts since the proxy started and the
/// average duration of forwarded requests over the last 1 and 5 minutes, and their p50/p99 over the last minute
/// (null when none completed).
/// </summary>
public sealed record TrafficStatus(
    long Requests,
    long InFlight,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    double? AverageDurationSeconds1m,
    double? AverageDurationSeconds5m,
    DateTimeOffset Sampled)
{
    /// <summary>Median duration of forwarded requests over the last minute (proxy's histogram, within 12.5 %); null when none.</summary>
    public double? P50DurationSeconds1m { get; init; }

    /// <summary>99th percentile duration of forwarded requests over the last minute; null when none.</summary>
    public double? P99DurationSeconds1m { get; init; }
}
