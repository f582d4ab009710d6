using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Routing;

internal sealed partial class FileRouteSource
{
    [LoggerMessage(EventId = ProxyLogEvents.RoutesFileCorrupt, Level = LogLevel.Warning,
        Message = "Route file unusable ({Error}); keeping routes version {Version}")]
    private static partial void LogFileCorrupt(ILogger logger, string error, long version);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesFileMissing, Level = LogLevel.Information,
        Message = "Route file {Path} is missing; keeping routes version {Version} until the daemon writes it")]
    private static partial void LogFileMissing(ILogger logger, string path, long version);

    [LoggerMessage(EventId = ProxyLogEvents.RoutesWatcherFailed, Level = LogLevel.Warning,
        Message = "Watching {Directory} failed; routes are still polled")]
    private static partial void LogWatcherFailed(ILogger logger, string directory, Exception exception);
}
