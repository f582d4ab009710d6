using GradientNode.Core.Health;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>Tracks running replicas' probes in the <see cref="HealthMonitor"/> and overlays what they say.</summary>
public sealed class HealthOverlay(HealthMonitor monitor) : IReplicaOverlay
{
    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, int port, IReadOnlyList<ObservedReplica> observed)
    {
        var checks = spec?.HealthChecks ?? HealthChecksSpec.None;
        var probed = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<ObservedReplica> result = [.. observed.Select(r =>
        {
            if (!r.Running || r.StartedAt is not { } started)
            {
                return r;
            }

            monitor.Track(slug, r.ContainerId, r.IpAddress, port, started, checks);
            probed.Add(r.ContainerId);
            if (monitor.Get(r.ContainerId) is not { } health)
            {
                return r;
            }

            // With a readiness probe it alone decides; without one, the TCP check does (once any startup probe passed).
            var ready = health.Health == ReplicaHealth.Ready && (health.HasReadinessProbe || r.Ready);
            return r with { Health = health, Ready = ready };
        })];
        monitor.Forget(slug, probed);
        return result;
    }
}
