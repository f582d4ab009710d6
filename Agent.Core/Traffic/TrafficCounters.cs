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
}
