using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Engine;

// Event ids 2000–2099 belong to the engine. Never reuse or renumber one; add new ones at the end.
public sealed partial class DockerEngine
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Pulling image {Image} (registry user: {Username})")]
    private static partial void LogPulling(ILogger logger, string image, string? username);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Pulled image {Image} in {ElapsedMs} ms")]
    private static partial void LogPulled(ILogger logger, string image, long elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Created container {Name} ({ContainerId}) from {Image}")]
    private static partial void LogCreated(ILogger logger, string name, string containerId, string image);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Engine warning while creating container {Name}: {Warning}")]
    private static partial void LogCreateWarning(ILogger logger, string name, string warning);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Stats of {ContainerId} came without a previous sample; sampling again")]
    private static partial void LogStatsResample(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Created network {Name} ({NetworkId})")]
    private static partial void LogNetworkCreated(ILogger logger, string name, string networkId);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Engine warning while creating network {Name}: {Warning}")]
    private static partial void LogNetworkWarning(ILogger logger, string name, string warning);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Container {ContainerId} was being removed for another caller already; waited until it was gone")]
    private static partial void LogRemovalWaited(ILogger logger, string containerId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogContainersUnbounded(ILogger logger, string warning);
}
