namespace GradientNode.Core.Networking;

/// <summary>The network new replicas join.</summary>
public interface IReplicaNetwork
{
    /// <summary>
    /// Makes sure the network exists (and the host keeps local users off it) and says what a replica's
    /// <c>NetworkMode</c> is: a network id, or null for the engine's default bridge; or why no replica can start now.
    /// </summary>
    Task<ReplicaNetworkChoice> EnsureAsync(CancellationToken cancellationToken);

    /// <summary>Forgets the network found last, so that the next <see cref="EnsureAsync"/> looks (and makes it) again.</summary>
    void Invalidate()
    {
    }
}
