using GradientNode.Core.Status;

namespace GradientNode.Core.Reconciliation;

/// <summary>The result of one reconcile: the new status (null once a removed deployment is gone) and when to look again.</summary>
public sealed record ReconcileOutcome(DeploymentStatus? Status, TimeSpan? RecheckAfter);
