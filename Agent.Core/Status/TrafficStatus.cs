namespace GradientNode.Core.Status;

/// <summary>
/// What the proxy saw of one deployment (from <c>proxy-stats.json</c>): counts since the proxy started and the
/// average duration of forwarded requests over the last 1 and 5 minutes (null when none completed).
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
    DateTimeOffset Sampled);
