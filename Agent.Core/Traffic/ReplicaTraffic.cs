namespace GradientNode.Core.Traffic;

/// <summary>Requests forwarded to one replica (<see cref="Id"/> as in the route table).</summary>
public sealed record ReplicaTraffic(string Id, TrafficCounters Traffic)
{
    /// <summary>Set while the proxy has the replica out of rotation for a failed connect, or since then without a request it answered; null otherwise.</summary>
    public RotationOut? OutOfRotation { get; init; }
}
