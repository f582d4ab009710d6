using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Routing;

internal sealed partial class FileRouteSource
{
    [LoggerMessage(EventId = ProxyLogEvents.RoutesApplied, Level = LogLevel.Information,
        Message = "Routes version {Version} applied: {Deployments} deployments, {ReadyReplicas} ready replicas")]
    private static partial void LogApplied(ILogger logger, long version, int deployments, int readyReplicas);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesApplyFailed, Level = LogLevel.Error,
        Message = "YARP rejected the route config; requests keep the previous routes where possible")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesFileCorrupt, Level = LogLevel.Warning,
        Message = "Route file unusable ({Error}); keeping routes version {Version}")]
    private static partial void LogFileCorrupt(ILogger logger, string error, long version);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesFileMissing, Level = LogLevel.Information,
        Message = "Route file {Path} is missing; keeping routes version {Version} until the daemon writes it")]
    private static partial void LogFileMissing(ILogger logger, string path, long version);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesWatcherFailed, Level = LogLevel.Warning,
        Message = "Watching {Directory} failed; routes are still polled")]
    private static partial void LogWatcherFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesAnswerFailed, Level = LogLevel.Warning,
        Message = "The proxy could not write {Path} ({Error}); the daemon takes routes.json as served until it can")]
    private static partial void LogAnswerFailed(ILogger logger, string path, string error);
}
