using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Routing;

internal sealed partial class RouteAppliedListener
{
    [LoggerMessage(EventId = ProxyLogEvents.RoutesApplied, Level = LogLevel.Information,
        Message = "Routes version {Version} applied: {Deployments} deployments, {ReadyReplicas} ready replicas")]
    private static partial void LogApplied(ILogger logger, long version, int deployments, int readyReplicas);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesApplyFailed, Level = LogLevel.Error,
        Message = "YARP rejected the route config; requests keep the previous routes where possible")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);
}
