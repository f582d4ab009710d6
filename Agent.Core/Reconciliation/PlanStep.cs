namespace GradientNode.Core.Reconciliation;

/// <summary>One action of a <see cref="ReconcilePlan"/>.</summary>
public abstract record PlanStep;

/// <summary>Start a new replica at <paramref name="Index"/>; <paramref name="Restarts"/>/<paramref name="Crashes"/> carry over from its predecessor.</summary>
public sealed record CreateReplica(int Index, int Restarts = 0, int Crashes = 0, int? LastExitCode = null) : PlanStep;

/// <summary>Stop and remove a replica container.</summary>
public sealed record RemoveReplica(ObservedReplica Replica, string Reason) : PlanStep;

/// <summary>Replica <paramref name="Index"/> exited and waits out its crash backoff until <paramref name="Until"/> before it is recreated.</summary>
public sealed record WaitBackoff(int Index, DateTimeOffset Until) : PlanStep;

/// <summary>Stop (not remove) a live replica whose startup or liveness probe failed: it then counts as exited, so the restart backoff applies.</summary>
public sealed record StopReplica(ObservedReplica Replica, string Reason) : PlanStep;

/// <summary>The new spec's replica did not become ready within the progress deadline: no further old replica is replaced.</summary>
public sealed record RolloutFailed(string Reason) : PlanStep;
