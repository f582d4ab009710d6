namespace GradientNode.Core.Reconciliation;

/// <summary>Stop and remove a replica container.</summary>
public sealed record RemoveReplica(ObservedReplica Replica, string Reason) : PlanStep;
