namespace GradientNode.Core.Autoscaling;

/// <summary>A past recommendation, kept for the scale-down stabilization window.</summary>
public sealed record Recommendation(DateTimeOffset At, int Replicas);
