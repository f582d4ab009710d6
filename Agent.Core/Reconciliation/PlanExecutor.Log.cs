using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

public sealed partial class PlanExecutor
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "{Slug}: started replica {Index} as {Container} (spec {SpecHash})")]
    private partial void LogCreated(string slug, int index, string container, string specHash);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "{Slug}: removed replica {Index} ({Container}): {Reason}")]
    private partial void LogRemoved(string slug, int index, string container, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Slug}: replica {Index} could not be started: {Error}")]
    private partial void LogCreateFailed(string slug, int index, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{Slug}: container {Container} could not be removed: {Error}")]
    private partial void LogRemoveFailed(string slug, string container, string error);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "{Slug}: stopped replica {Index} ({Container}) to replace it: {Reason}")]
    private partial void LogStopped(string slug, int index, string container, string reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "{Slug}: {InFlight} request(s) still in flight on replicas leaving rotation after the {Seconds} s drain timeout; stopping them (SIGTERM) anyway")]
    private partial void LogDrainTimedOut(string slug, long inFlight, double seconds);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "{Slug}: replica {Index} ({Container}) did not exit within {Seconds} s of SIGTERM and was killed (SIGKILL): its requests and work in progress were cut; make the app exit on SIGTERM")]
    private partial void LogKilledAfterGrace(string slug, int index, string container, double seconds);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "{Slug}: removal called off, its spec is back: the {Count} replica(s) leaving rotation were not stopped")]
    private partial void LogRemovalCalledOff(string slug, int count);
}
