namespace GradientNode.Core.Metrics;

/// <summary>Requests forwarded to one replica (<see cref="Id"/> as in the route table).</summary>
public sealed record ReplicaTrafficStats(string Id, TrafficStats Traffic);
