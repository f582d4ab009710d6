using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Metrics;

internal sealed partial class TrafficFileWriter
{
    [LoggerMessage(EventId = ProxyLogEvents.StatsWriteFailed, Level = LogLevel.Warning,
        Message = "Cannot write proxy stats to {RunDir}; the daemon will not see request metrics until this works")]
    private static partial void LogStatsWriteFailed(ILogger logger, string runDir, Exception exception);
}
