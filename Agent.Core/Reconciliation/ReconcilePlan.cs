using System.Collections.Immutable;

namespace GradientNode.Core.Reconciliation;

/// <summary>The ordered steps that move one deployment from what Docker has to what the spec asks.</summary>
public sealed record ReconcilePlan(ImmutableArray<PlanStep> Steps)
{
    public bool IsEmpty => Steps.IsEmpty;

    public IEnumerable<CreateReplica> Creates => Steps.OfType<CreateReplica>();

    public IEnumerable<RemoveReplica> Removes => Steps.OfType<RemoveReplica>();

    public IEnumerable<StopReplica> Stops => Steps.OfType<StopReplica>();

    public RolloutFailed? Failure => Steps.OfType<RolloutFailed>().FirstOrDefault();
}
