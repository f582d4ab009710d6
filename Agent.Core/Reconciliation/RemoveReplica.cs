namespace GradientNode.Core.Reconciliation;

/// <summary>Stop and remove a replica container.</summary>
public sealed record RemoveReplica(ObservedReplica Replica, string Reason) : PlanStep
{
    /// <summary>An old replica a rollout replaces (its successor is ready, or it served nothing): its stop may outlive the pass.</summary>
    public bool Replaced { get; init; }
}
