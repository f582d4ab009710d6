namespace GradientNode.Core.Reconciliation;

/// <summary>
/// What the reconcile loop knows of a deployment's removal beyond its catalog entry: whether it was deleted explicitly
/// (no <see cref="RemovalGrace"/>), and a token cancelled when its spec is published again while the pass runs, which
/// calls off a removal still draining (<see cref="PlanExecutor"/>): the replicas not stopped yet stay.
/// </summary>
public sealed record RemovalSignals(bool OnPurpose, CancellationToken CalledOff)
{
    public static readonly RemovalSignals None = new(false, CancellationToken.None);
}
