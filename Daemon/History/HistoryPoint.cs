namespace GradientNode.Daemon.History;

/// <summary>
/// One sample of a deployment: when (Unix seconds), requests per second since the previous sample, the proxy's
/// 1-minute average, p50 and p99 durations, ready and desired replicas. A 32-byte struct, so a full ring is one flat array.
/// </summary>
internal readonly record struct HistoryPoint(long At, float RequestsPerSecond, float AverageDurationSeconds, float P50DurationSeconds, float P99DurationSeconds, int Ready, int Desired);
