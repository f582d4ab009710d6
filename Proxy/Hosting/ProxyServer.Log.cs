using Microsoft.Extensions.Logging;

namespace GradientNode.Proxy.Hosting;

public sealed partial class ProxyServer
{
    [LoggerMessage(EventId = ProxyLogEvents.Listening, Level = LogLevel.Information,
        Message = "Proxy listening on {Urls} for *.{Domain}; routes from {RunDir}; request I/O {Scheduling}")]
    private static partial void LogListening(ILogger logger, string urls, string domain, string runDir, string scheduling);

    [LoggerMessage(EventId = ProxyLogEvents.Stopping, Level = LogLevel.Information, Message = "Proxy stopping")]
    private static partial void LogStopping(ILogger logger);
}
