using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Workflows.Execution;

public sealed partial class WorkflowRunner
{
    [LoggerMessage(EventId = 5150, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: started")]
    private partial void LogRunStarted(string workflow, int run);

    [LoggerMessage(EventId = 5151, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: job {Job} starting")]
    private partial void LogJobStarting(string workflow, int run, string job);

    [LoggerMessage(EventId = 5152, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: job {Job} ended {Phase} {Message}")]
    private partial void LogJobEnded(string workflow, int run, string job, string phase, string message);

    [LoggerMessage(EventId = 5153, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: ended {Phase} {Message}")]
    private partial void LogRunEnded(string workflow, int run, string phase, string message);

    [LoggerMessage(EventId = 5154, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: adopting job {Job} after a restart")]
    private partial void LogAdopting(string workflow, int run, string job);

    [LoggerMessage(EventId = 5155, Level = LogLevel.Error, Message = "workflow {Workflow} run {Run}: job {Job} failed unexpectedly")]
    private partial void LogJobCrashed(Exception exception, string workflow, int run, string job);

    [LoggerMessage(EventId = 5156, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: job {Job} waits: {Reason}")]
    private partial void LogJobWaiting(string workflow, int run, string job, string reason);

    [LoggerMessage(EventId = 5157, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: its volumes could not all be removed")]
    private partial void LogVolumesLeft(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5260, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: job {Job} ({Action}) was cut by a restart; its commit goes on if an output of it was already committed, else it runs again from a clean output")]
    private partial void LogRerunning(string workflow, int run, string job, string action);

    [LoggerMessage(EventId = 5261, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: cleaning up after its end failed; its end is saved as it was")]
    private partial void LogFinishingFailed(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5171, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: its record cannot be saved ({Error}); the run goes on from the record in memory (status, cancel), and the save is tried again every second until the state directory takes it (logged once)")]
    private partial void LogRecordNotSaved(string workflow, int run, string error);

    [LoggerMessage(EventId = 5172, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: its record is saved again")]
    private partial void LogRecordSavedAgain(string workflow, int run);
}
