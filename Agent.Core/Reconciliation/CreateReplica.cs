namespace GradientNode.Core.Reconciliation;

/// <summary>Start a new replica at <paramref name="Index"/>; <paramref name="Restarts"/>/<paramref name="Crashes"/> carry over from its predecessor.</summary>
public sealed record CreateReplica(int Index, int Restarts = 0, int Crashes = 0, int? LastExitCode = null) : PlanStep;
