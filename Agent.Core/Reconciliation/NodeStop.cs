namespace GradientNode.Core.Reconciliation;

/// <summary>One container the node stopped itself (<see cref="StopReplica"/>): its deployment, why, and when.</summary>
public sealed record NodeStop(string Slug, string Reason, DateTimeOffset At);
