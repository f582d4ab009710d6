namespace GradientNode.Core.Reconciliation;

/// <summary>The new spec's replica did not become ready within the progress deadline: no further old replica is replaced.</summary>
public sealed record RolloutFailed(string Reason) : PlanStep;
