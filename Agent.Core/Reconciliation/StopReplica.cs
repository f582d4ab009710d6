namespace GradientNode.Core.Reconciliation;

/// <summary>Stop (not remove) a live replica whose startup or liveness probe failed: it then counts as exited, so the restart backoff applies.</summary>
public sealed record StopReplica(ObservedReplica Replica, string Reason) : PlanStep;
