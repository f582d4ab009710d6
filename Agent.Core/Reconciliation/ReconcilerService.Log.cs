using Microsoft.Extensions.Logging;

namespace GradientNode.Core.Reconciliation;

/// <summary>The reconcile loop's log events (10xx).</summary>
public sealed partial class ReconcilerService
{
    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "reconciler started: specs in {SpecsDir}, node {Node}")]
    private partial void LogStarted(string specsDir, string node);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "{Slug}: reconcile failed: {Error}")]
    private partial void LogReconcileFailed(string slug, string error);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "Docker engine: {Error}")]
    private partial void LogEngineProblem(string error);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Error, Message = "{Slug}: reconcile threw {ExceptionType} (failure {Failures} in a row; retry in {RetrySeconds:F0}s): {Error}")]
    private partial void LogWorkerFailed(string slug, string exceptionType, int failures, double retrySeconds, string error);
}
