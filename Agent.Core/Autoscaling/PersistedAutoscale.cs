namespace GradientNode.Core.Autoscaling;

/// <summary>One deployment in <c>&lt;state-dir&gt;/autoscale.json</c>: the desired count and the last scale events.</summary>
public sealed record PersistedAutoscale(int Desired, IReadOnlyList<ScaleEvent> Events);
