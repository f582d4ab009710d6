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

    [LoggerMessage(EventId = 1023, Level = LogLevel.Debug, Message = "{Slug}: reconcile failed while the Docker engine is unreachable: {Error}")]
    private partial void LogReconcileFailedWhileUnreachable(string slug, string error);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Warning, Message = "Docker engine unreachable: {Error}. The proxy keeps its routes and takes a replica that stops accepting connections out of rotation (dockerd stops the replicas with itself unless live-restore is on); every deployment keeps its last status and is retried every {Seconds:F0} s (logged once until the engine answers again)")]
    private partial void LogEngineUnreachable(string error, double seconds);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Information, Message = "Docker engine reachable again after {Seconds:F0} s; reconciling every deployment")]
    private partial void LogEngineBack(double seconds);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Error, Message = "{Slug}: reconcile threw {ExceptionType} (failure {Failures} in a row; retry in {RetrySeconds:F0}s): {Error}")]
    private partial void LogWorkerFailed(string slug, string exceptionType, int failures, double retrySeconds, string error);
}
