using GradientNode.Core.Health;
using GradientNode.Core.Specs;

namespace GradientNode.Core.Reconciliation;

/// <summary>
/// Tracks running replicas' probes in the <see cref="HealthMonitor"/> and overlays what they say.
/// A replica of an older version (another spec hash: a rollout) keeps the probes it was started with: the new
/// version's probes are the new version's. Before, they were swapped onto the old replicas too, so a rollout whose new
/// readiness probe failed (a path the old image lacks, or any probe not passed yet) made every old replica not ready,
/// and the planner replaced them all at once: the deployment served nothing. An old replica the monitor has no loop for
/// (the daemon restarted during the rollout, so its probes are unknown) keeps the TCP check of its port instead.
/// </summary>
public sealed class HealthOverlay(HealthMonitor monitor) : IReplicaOverlay
{
    public IReadOnlyList<ObservedReplica> Apply(string slug, DeploymentSpec? spec, string specHash, int port, IReadOnlyList<ObservedReplica> observed)
    {
        ArgumentNullException.ThrowIfNull(specHash);
        var checks = spec?.HealthChecks ?? HealthChecksSpec.None;
        var probed = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<ObservedReplica> result = [.. observed.Select(r =>
        {
            if (!r.Running || r.StartedAt is not { } started)
            {
                return r;
            }

            var olderVersion = spec is not null && specHash.Length > 0 && r.SpecHash != specHash;
            if (!olderVersion)
            {
                monitor.Track(slug, r.ContainerId, r.IpAddress, r.Port ?? port, started, checks);
            }

            if (monitor.Get(r.ContainerId) is not { } health)
            {
                return r;
            }

            probed.Add(r.ContainerId);

            // With a readiness probe it alone decides; without one, the TCP check does (once any startup probe passed).
            var ready = health.Health == ReplicaHealth.Ready && (health.HasReadinessProbe || r.Ready);
            return r with { Health = health, Ready = ready };
        })];
        monitor.Forget(slug, probed);
        return result;
    }
}
