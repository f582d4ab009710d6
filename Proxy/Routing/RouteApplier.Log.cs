using GradientNode.Proxy.Hosting;
using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Routing;

internal sealed partial class RouteApplier
{
    [LoggerMessage(EventId = ProxyLogEvents.RoutesApplied, Level = LogLevel.Information,
        Message = "Routes version {Version} applied: {Deployments} deployments, {ReadyReplicas} ready replicas")]
    private static partial void LogApplied(ILogger logger, long version, int deployments, int readyReplicas);
}
