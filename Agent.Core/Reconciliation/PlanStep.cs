namespace GradientNode.Core.Reconciliation;

/// <summary>One action of a <see cref="ReconcilePlan"/>.</summary>
public abstract record PlanStep;
