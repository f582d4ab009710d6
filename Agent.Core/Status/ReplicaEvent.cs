namespace GradientNode.Core.Status;

/// <summary>One entry of an instance's <c>history</c>: a lifecycle state (pending, pulling, starting, running, ready, notReady, stopping, stopped, failed), why, and when.</summary>
public sealed record ReplicaEvent(string State, string? Message, DateTimeOffset Timestamp);
