using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Adds what a monitor knows to the replicas read from the engine (probe results, a lost GPU), and starts or
/// stops watching them. A hook of <see cref="DeploymentObserver"/>.
/// </summary>
public interface IReplicaOverlay
{
    /// <param name="slug">The deployment.</param>
    /// <param name="spec">Its current spec (null once removed).</param>
    /// <param name="specHash">The current spec's hash: a replica with another hash is of an older version (a rollout).</param>
    /// <param name="port">The current spec's first port.</param>
    /// <param name="observed">The replicas as read so far.</param>
    IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed);
}
