namespace GradientNode.Core.Traffic;

/// <summary>
/// Counters since the proxy started plus sliding averages. <see cref="DurationBuckets"/> holds per-bucket
/// (not cumulative) counts, one more than <see cref="TrafficSnapshot.DurationBucketBounds"/> (+Inf last).
/// The averages are null when no request completed in the window.
/// </summary>
public sealed record TrafficCounters(
    long Requests,
    long Status1xx,
    long Status2xx,
    long Status3xx,
    long Status4xx,
    long Status5xx,
    long InFlight,
    double DurationSumSeconds,
    IReadOnlyList<long> DurationBuckets,
    long Requests1m,
    long Requests5m,
    double? AverageDurationSeconds1m,
    double? AverageDurationSeconds5m)
{
    /// <summary>Requests completed in the last 10 s (the autoscaler's short, panic-mode window).</summary>
    public long Requests10s { get; init; }

    /// <summary>Average duration of the requests completed in the last 10 s; null when none.</summary>
    public double? AverageDurationSeconds10s { get; init; }

    /// <summary>
    /// Median duration of the requests completed in the last minute (50–60 s: six 10 s slots of a fine log-scale
    /// histogram, within 12.5 %); null when none, and on series that keep no quantiles (only a deployment's forwarded
    /// requests do).
    /// </summary>
    public double? P50DurationSeconds1m { get; init; }

    /// <summary>99th percentile of the same requests as <see cref="P50DurationSeconds1m"/>.</summary>
    public double? P99DurationSeconds1m { get; init; }
}
