using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Forwarding;

internal sealed partial class ConnectRetryHandler
{
    [LoggerMessage(EventId = ProxyLogEvents.ReplicaConnectRetried, Level = LogLevel.Debug,
        Message = "Connect to replica {Failed} failed ({Reason}); retrying on {Next}")]
    private static partial void LogRetried(ILogger logger, string failed, string next, string reason);

    [LoggerMessage(EventId = ProxyLogEvents.ReplicaConnectFailedAll, Level = LogLevel.Warning,
        Message = "Deployment {Deployment}: connect failed on {Attempts} replicas{Repeats}")]
    private static partial void LogFailedAll(ILogger logger, string deployment, int attempts, string repeats);
}
