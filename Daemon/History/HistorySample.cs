namespace GradientNode.Daemon.History;

/// <summary>One sample on the wire: <c>{at, requestsPerSecond, averageDurationSeconds, p50DurationSeconds, p99DurationSeconds, ready, desired}</c>.</summary>
internal sealed record HistorySample(long At, float RequestsPerSecond, float AverageDurationSeconds, float P50DurationSeconds, float P99DurationSeconds, int Ready, int Desired);
