using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Adds what a monitor knows to the replicas read from the engine (probe results, a lost GPU), and starts or
/// stops watching them. A hook of <see cref="DeploymentObserver"/>.
/// </summary>
public interface IReplicaOverlay
{
    IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, int port, IReadOnlyList<ObservedReplica> observed);
}
