namespace GradientNode.Daemon.History;

/// <summary>What <see cref="HistoryService"/> reads for one deployment at one sample: the proxy's request count and 1-minute durations (null without traffic), ready and desired replicas.</summary>
internal readonly record struct HistoryInput(long At, long Requests, double? AverageDuration, double? P50Duration, double? P99Duration, int Ready, int Desired);
