namespace GradientNode.Daemon.History;

/// <summary>
/// One sample of a deployment: when (Unix seconds), requests per second since the previous sample, the proxy's
/// 1-minute average duration, ready and desired replicas. A 24-byte struct, so a full ring is one flat array.
/// </summary>
internal readonly record struct HistoryPoint(long At, float RequestsPerSecond, float AverageDurationSeconds, int Ready, int Desired);
