namespace GradientNode.Core.Status;

/// <summary>The last change of the desired replica count in <c>status.autoscaling.lastScale</c>, with the reason in words.</summary>
public sealed record ScaleEventStatus(DateTimeOffset At, int From, int To, string Reason);
