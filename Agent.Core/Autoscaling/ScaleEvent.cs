namespace GradientNode.Core.Autoscaling;

/// <summary>One change of the desired replica count, with the reason in words.</summary>
public sealed record ScaleEvent(DateTimeOffset At, int From, int To, string Reason);
