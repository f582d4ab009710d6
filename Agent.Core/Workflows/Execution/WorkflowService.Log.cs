using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Workflows.Execution;

public sealed partial class WorkflowService
{
    [LoggerMessage(EventId = 5160, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: continuing after a restart")]
    private partial void LogContinuing(string workflow, int run);

    [LoggerMessage(EventId = 5161, Level = LogLevel.Error, Message = "workflow {Workflow} run {Run}: the run's loop failed; the run is marked ERROR")]
    private partial void LogRunCrashed(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5162, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: letting go of its dataset versions failed; they stay held until the daemon restarts")]
    private partial void LogReleaseFailed(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5163, Level = LogLevel.Information, Message = "workflow {Workflow}: deleted {Count} ended run(s) beyond the newest {Kept} ended ones kept (workflowRunsKept): {Runs}")]
    private partial void LogPruned(string workflow, int count, int kept, string runs);

    [LoggerMessage(EventId = 5164, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: cleaning up after it failed (its folder or its unused datasets are left)")]
    private partial void LogCleanUpFailed(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5165, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: deleted")]
    private partial void LogDeleted(string workflow, int run);

    [LoggerMessage(EventId = 5166, Level = LogLevel.Information, Message = "workflow {Workflow} run {Run}: removed dataset {Datasets}, which the run created for a dataset output and to which no job committed a version")]
    private partial void LogDatasetsRemoved(string workflow, int run, string datasets);

    [LoggerMessage(EventId = 5167, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: removing its leftover containers failed; the run is deleted, the containers stay")]
    private partial void LogContainersLeft(Exception exception, string workflow, int run);

    [LoggerMessage(EventId = 5168, Level = LogLevel.Warning, Message = "workflow {Workflow}: reading its runs to clean up after them failed; they are looked at again when a run ends and at the next start")]
    private partial void LogRetentionFailed(Exception exception, string workflow);

    [LoggerMessage(EventId = 5169, Level = LogLevel.Warning, Message = "removing the folders of run deletions a crash cut short failed; they are tried again at the next start")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(EventId = 5170, Level = LogLevel.Warning, Message = "workflow {Workflow} run {Run}: its record {Path} is damaged ({Problem}); the run is left out of every listing and not continued, its folder is kept as it is (restore the file, or delete the folder; its job containers, if any still run, are left alone)")]
    private partial void LogRunRecordDamaged(string workflow, int run, string path, string problem);
}
