namespace GradientNode.Core.Networking;

/// <summary>What <see cref="IReplicaNetwork.EnsureAsync"/> found: the <c>NetworkMode</c> for new replicas, or an error.</summary>
public sealed record ReplicaNetworkChoice(string? NetworkMode, string? Error)
{
    public static ReplicaNetworkChoice DefaultBridge { get; } = new(null, null);
}
