using GradientNode.Core.Gpus;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>Running GPU replicas are checked for a lost GPU; one that lost it is out of rotation and gets replaced.</summary>
public sealed class GpuLossOverlay(GpuLossMonitor monitor) : IReplicaOverlay
{
    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
    {
        var checkedIds = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<ObservedReplica> result = [.. observed.Select(r =>
        {
            if (!r.Running || r.Gpus.Count == 0)
            {
                return r;
            }

            monitor.Track(slug, $"{slug}-{r.Index}", r.ContainerId, r.Gpus);
            checkedIds.Add(r.ContainerId);
            return monitor.LostReason(r.ContainerId) is { } lost ? r with { GpuLoss = lost, Ready = false } : r;
        })];
        monitor.Forget(slug, checkedIds);
        return result;
    }
}
