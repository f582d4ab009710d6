namespace GradientNode.Core.Reconciliation;

/// <summary>Replica <paramref name="Index"/> exited and waits out its crash backoff until <paramref name="Until"/> before it is recreated.</summary>
public sealed record WaitBackoff(int Index, DateTimeOffset Until) : PlanStep;
