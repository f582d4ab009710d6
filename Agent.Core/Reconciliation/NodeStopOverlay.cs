using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// An exited container the node stopped itself gets its reason (<see cref="ObservedReplica.StoppedByNode"/>) from
/// <see cref="NodeStopStore"/>; the records of the deployment's containers that are gone are dropped.
/// </summary>
public sealed class NodeStopOverlay(NodeStopStore stops) : IReplicaOverlay
{
    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        stops.Keep(slug, observed.Select(r => r.ContainerId).ToHashSet(StringComparer.Ordinal));
        return [.. observed.Select(r => !r.Running && stops.ReasonOf(r.ContainerId) is { } reason ? r with { StoppedByNode = reason } : r)];
    }
}
