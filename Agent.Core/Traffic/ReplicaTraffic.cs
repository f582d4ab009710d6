namespace GradientNode.Core.Traffic;

/// <summary>Requests forwarded to one replica (<see cref="Id"/> as in the route table).</summary>
public sealed record ReplicaTraffic(string Id, TrafficCounters Traffic);
